package studio.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import studio.job.InputException;

/** {@code --device} / {@code --precision}: parsing, the fallback rules, and autocast leaving callers in fp32. */
class ComputeTest {
    @Test
    void badValuesFailWithOneLine() {
        InputException d = assertThrows(InputException.class, () -> new Compute.Request("cuda:x", "auto"));
        assertEquals("device must be auto, cpu or cuda[:N], got 'cuda:x'", d.getMessage());
        InputException p = assertThrows(InputException.class, () -> new Compute.Request("auto", "int8"));
        assertEquals("precision must be auto, fp32 or fp16, got 'int8'", p.getMessage());
    }

    @Test
    void autoUsesTheGpuOnlyWithCudaNativesAndAGpu() {
        Compute gpu = new Compute.Request("auto", "auto").resolve(true, 2);
        assertEquals("cuda:0", gpu.deviceId());
        assertEquals(Compute.Precision.FP16, gpu.precision());
        assertTrue(gpu.why().contains("2 CUDA GPUs found"), gpu.why());

        Compute cpuBuild = new Compute.Request("auto", "auto").resolve(false, 0);
        assertEquals("cpu", cpuBuild.deviceId());
        assertEquals(Compute.Precision.FP32, cpuBuild.precision());
        assertTrue(cpuBuild.why().contains("CPU-only natives"), cpuBuild.why());

        Compute noDriver = new Compute.Request("auto", "auto").resolve(true, 0);
        assertEquals("cpu", noDriver.deviceId());
        assertTrue(noDriver.why().contains("found no GPU"), noDriver.why());
    }

    @Test
    void anExplicitGpuThatIsNotThereFails() {
        InputException cpuBuild =
                assertThrows(InputException.class, () -> new Compute.Request("cuda", "auto").resolve(false, 0));
        assertTrue(cpuBuild.getMessage().contains("CPU-only natives"), cpuBuild.getMessage());
        InputException second =
                assertThrows(InputException.class, () -> new Compute.Request("cuda:1", "fp32").resolve(true, 1));
        assertTrue(second.getMessage().startsWith("--device cuda:1: 1 GPU(s) found"), second.getMessage());
        Compute first = new Compute.Request("cuda:1", "fp32").resolve(true, 2);
        assertEquals("cuda:1", first.deviceId());
        assertEquals(Compute.Precision.FP32, first.precision());
        assertEquals("device=cuda:1 precision=fp32", first.tag());
    }

    @Test
    void fp16OnTheCpuSaysItIsSlow() {
        Compute c = new Compute.Request("cpu", "fp16").resolve(false, 0);
        assertEquals(Compute.Precision.FP16, c.precision());
        assertTrue(c.describe().startsWith("cpu, fp16 (asked for; fp16 on the CPU is slower"), c.describe());
    }

    @Test
    void thisMachineResolvesToTheCpu() {
        // the test build has the CPU libtorch: auto must fall back with its reason, an explicit cuda must fail
        Compute c = Compute.Request.auto().resolve();
        assertEquals("cpu", c.deviceId());
        assertFalse(c.device().isGpu());
        assertThrows(InputException.class, () -> new Compute.Request("cuda:0", "auto").resolve());
    }

    @Test
    void autocastComputesInHalfAndHandsBackFloat() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(-1, 1, new Shape(1, 8, 6, 6));
            NDArray w = m.randomUniform(-1, 1, new Shape(4, 8, 3, 3));
            NDArray b = m.randomUniform(-1, 1, new Shape(4));
            Conv conv = new Conv(w, b, 1, 1, 1, 1);
            float[] full = conv.apply(x).toFloatArray();
            NDArray half;
            try (Autocast.Scope s = Autocast.enter(Compute.Precision.FP16)) {
                half = conv.apply(x);
            }
            assertEquals(DataType.FLOAT32, half.getDataType());
            float[] h = half.toFloatArray();
            double max = 0, scale = 0;
            for (int i = 0; i < h.length; i++) {
                max = Math.max(max, Math.abs(h[i] - full[i]));
                scale = Math.max(scale, Math.abs(full[i]));
            }
            // 72 products of values in [-1, 1]: fp16 rounding leaves ~1e-3 relative, never zero, never large
            assertTrue(max > 0 && max < 2e-2 * scale, "fp16 vs fp32 max difference " + max + " of " + scale);
            assertFalse(Autocast.half(), "the scope restores fp32");
        }
    }
}
