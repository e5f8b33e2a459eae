package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Dense} and {@link Layers#linear} against nn.Linear, with and without bias, on (b, n, in) input. */
class DenseLayerTest extends LayerFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"dense", "dense_nobias"})
    void matchesLinear(String name) {
        JsonObject s = fx.settings(name);
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            NDArray x = fx.in(m, name, "x");
            fx.check(
                    name + " Dense",
                    Dense.load(
                                    p,
                                    s.get("in").getAsLong(),
                                    s.get("out").getAsLong(),
                                    s.get("bias").getAsBoolean())
                            .forward(x));
            fx.check(name + " Layers.linear", Layers.linear(p, x));
        }
    }
}
