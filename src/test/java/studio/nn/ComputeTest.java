package studio.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import studio.job.InputException;

/** {@code --device} / {@code --precision}: parsing, the fallback rules, and autocast leaving callers in fp32. */
class ComputeTest {
    private static final Supplier<CpuBf16> NO_BF16 = () -> CpuBf16.measure(false, " fpu avx2 avx512f ");
    private static final Supplier<CpuBf16> AMX =
            () -> new CpuBf16(true, true, "this CPU has AMX; bf16 measured 3.0× faster than fp32");
    private static final Supplier<CpuBf16> SLOW_BF16 =
            () -> new CpuBf16(true, false, "this CPU has AVX512-BF16; bf16 measured 0.9× fp32's speed here, so fp32");

    @Test
    void theCpuUsesBf16OnlyWhereItHasAmxOrAvx512Bf16AndItMeasuredFaster() {
        Compute amx = new Compute.Request("auto", "auto").resolve(false, 0, AMX);
        assertEquals(Compute.Precision.BF16, amx.precision());
        assertTrue(amx.describe().startsWith("cpu, bf16 (auto: "), amx.describe());
        assertTrue(amx.describe().contains("this CPU has AMX; bf16 measured 3.0× faster"), amx.describe());
        assertEquals("device=cpu precision=bf16", amx.tag());

        assertEquals(
                Compute.Precision.FP32,
                new Compute.Request("cpu", "auto").resolve(false, 0, SLOW_BF16).precision());
        // asked for explicitly, a CPU that has the unit runs bf16 even where it measured slower
        Compute asked = new Compute.Request("cpu", "bf16").resolve(false, 0, SLOW_BF16);
        assertEquals(Compute.Precision.BF16, asked.precision());
        assertEquals("asked for; bf16 asked for: " + SLOW_BF16.get().why(), asked.why());

        // no unit (or switched off): one clause says why it is fp32, also when bf16 was asked for
        Compute none = new Compute.Request("auto", "bf16").resolve(false, 0, NO_BF16);
        assertEquals(Compute.Precision.FP32, none.precision());
        assertTrue(
                none.why().endsWith("bf16 asked for, but this CPU has neither AMX nor AVX512-BF16, so fp32"),
                none.why());
        Compute off = new Compute.Request("auto", "auto").resolve(false, 0, () -> CpuBf16.measure(true, " amx_bf16 "));
        assertEquals(Compute.Precision.FP32, off.precision());
        assertTrue(off.why().endsWith("bf16 switched off (STUDIO_CPU_BF16=off), so fp32"), off.why());

        // a GPU's auto stays fp16 without asking the CPU
        Compute gpu = new Compute.Request("auto", "auto").resolve(true, 1, () -> {
            throw new AssertionError("asked the CPU");
        });
        assertEquals(Compute.Precision.FP16, gpu.precision());
    }

    @Test
    void thisCpuMeasuresBf16WhenItHasTheUnit() {
        CpuBf16 here = CpuBf16.detect();
        assertTrue(here.why().contains("fp32") || here.usable(), here.why());
        if (here.supported()) assertTrue(here.why().contains("measured"), here.why());
    }

    @Test
    void badValuesFailWithOneLine() {
        InputException d = assertThrows(InputException.class, () -> new Compute.Request("cuda:x", "auto"));
        assertEquals("device must be auto, cpu or cuda[:N], got 'cuda:x'", d.getMessage());
        InputException p = assertThrows(InputException.class, () -> new Compute.Request("auto", "int8"));
        assertEquals("precision must be auto, fp32, fp16 or bf16, got 'int8'", p.getMessage());
    }

    @Test
    void autoUsesTheGpuOnlyWithCudaNativesAndAGpu() {
        Compute gpu = new Compute.Request("auto", "auto").resolve(true, 2, NO_BF16);
        assertEquals("cuda:0", gpu.deviceId());
        assertEquals(Compute.Precision.FP16, gpu.precision());
        assertTrue(gpu.why().contains("2 CUDA GPUs found"), gpu.why());

        Compute cpuBuild = new Compute.Request("auto", "auto").resolve(false, 0, NO_BF16);
        assertEquals("cpu", cpuBuild.deviceId());
        assertEquals(Compute.Precision.FP32, cpuBuild.precision());
        assertTrue(cpuBuild.why().contains("CPU-only natives"), cpuBuild.why());

        Compute noDriver = new Compute.Request("auto", "auto").resolve(true, 0, NO_BF16);
        assertEquals("cpu", noDriver.deviceId());
        assertTrue(noDriver.why().contains("found no GPU"), noDriver.why());
    }

    @Test
    void anExplicitGpuThatIsNotThereFails() {
        InputException cpuBuild = assertThrows(
                InputException.class, () -> new Compute.Request("cuda", "auto").resolve(false, 0, NO_BF16));
        assertTrue(cpuBuild.getMessage().contains("CPU-only natives"), cpuBuild.getMessage());
        InputException second = assertThrows(
                InputException.class, () -> new Compute.Request("cuda:1", "fp32").resolve(true, 1, NO_BF16));
        assertTrue(second.getMessage().startsWith("--device cuda:1: 1 GPU(s) found"), second.getMessage());
        Compute first = new Compute.Request("cuda:1", "fp32").resolve(true, 2, NO_BF16);
        assertEquals("cuda:1", first.deviceId());
        assertEquals(Compute.Precision.FP32, first.precision());
        assertEquals("device=cuda:1 precision=fp32", first.tag());
    }

    @Test
    void fp16OnTheCpuSaysItIsSlow() {
        Compute c = new Compute.Request("cpu", "fp16").resolve(false, 0, NO_BF16);
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

            NDArray bf;
            try (Autocast.Scope s = Autocast.enter(Compute.Precision.BF16)) {
                bf = conv.apply(x);
            }
            assertEquals(DataType.FLOAT32, bf.getDataType());
            assertEquals(new Shape(1, 4, 6, 6), bf.getShape());
            float[] g = bf.toFloatArray();
            double maxB = 0;
            for (int i = 0; i < g.length; i++) maxB = Math.max(maxB, Math.abs(g[i] - full[i]));
            // bf16 keeps 8 mantissa bits: ~4e-3 relative per value, a few times that after 72 products
            assertTrue(maxB > 0 && maxB < 5e-2 * scale, "bf16 vs fp32 max difference " + maxB + " of " + scale);
            assertFalse(Autocast.reduced(), "the scope restores fp32");
        }
    }
}
