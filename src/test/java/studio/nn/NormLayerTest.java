package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link GroupNorm}, {@link LayerNormLayer} and their {@link Layers} forms against nn.GroupNorm / nn.LayerNorm. */
class NormLayerTest extends LayerFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"gn", "gn32"})
    void groupNorm(String name) {
        JsonObject s = fx.settings(name);
        int groups = s.get("groups").getAsInt();
        double eps = s.get("eps").getAsDouble();
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, name);
            NDArray x = fx.in(m, name, "x");
            fx.check(
                    name + " GroupNorm",
                    GroupNorm.load(p, s.get("channels").getAsLong(), groups, eps)
                            .forward(x));
            fx.check(name + " Layers.groupNorm", Layers.groupNorm(p, x, groups, eps));
        }
    }

    @Test
    void layerNorm() {
        JsonObject s = fx.settings("ln");
        double eps = s.get("eps").getAsDouble();
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = fx.params(m, "ln");
            NDArray x = fx.in(m, "ln", "x");
            fx.check(
                    "ln LayerNormLayer",
                    LayerNormLayer.load(p, s.get("dim").getAsLong(), eps).forward(x));
            fx.check("ln Layers.layerNorm", Layers.layerNorm(p, x, eps));
        }
    }
}
