package studio.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** libtorch must load from the Maven artifacts alone (offline), on the CPU. */
class TorchEngineTest {
    @Test
    void pytorchEngineRunsOffline() {
        assertEquals("PyTorch", Engine.getInstance().getEngineName());
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            assertArrayEquals(new float[] {7, 10, 15, 22}, a.matMul(a).toFloatArray());
        }
    }

    @Test
    void oneSetUpUsesTheCoresTheJvmMayUse() {
        TorchEngine.useAllCores();
        assertEquals(Runtime.getRuntime().availableProcessors(), TorchEngine.threads());
        assertTrue(TorchEngine.describe().startsWith("PyTorch "));
    }
}
