package studio.nn;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ReflectionPad#pad2d} against nn.ReflectionPad2d. */
class ReflectionPadLayerTest extends LayerFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"rpad1", "rpad2"})
    void matchesReflectionPad2d(String name) {
        try (NDManager m = NDManager.newBaseManager()) {
            fx.check(
                    name,
                    ReflectionPad.pad2d(
                            fx.in(m, name, "x"),
                            fx.settings(name).get("padding").getAsInt()));
        }
    }
}
