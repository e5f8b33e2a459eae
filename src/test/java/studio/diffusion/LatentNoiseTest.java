package studio.diffusion;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import studio.job.InputException;

/**
 * The noise sources against torch's own numbers: seed 0 on CUDA as A1111's rng_philox.py documents
 * them, and seed 0 on the CPU as torch prints {@code torch.manual_seed(0); torch.randn(3, 4)}.
 */
class LatentNoiseTest {
    /** torch.randn(3, 4, device="cuda") after torch.manual_seed(0) (A1111 modules/rng_philox.py docstring). */
    private static final double[] CUDA_SEED0 = {
        -0.92466259, -0.42534415, -2.6438457, 0.14518388,
        -0.12086647, -0.57972564, -0.62285122, -0.32838709,
        -1.07454231, -0.36314407, -1.67105067, 2.26550497
    };

    /** torch.randn(3, 4) on the CPU after torch.manual_seed(0) (torch's printout, 4 decimals). */
    private static final double[] CPU_SEED0 = {
        1.5410, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986, 0.4033, 0.8380, -0.7193, -0.4033, -0.5966, 0.1820
    };

    @Test
    void nvSourceIsTorchCudaRandn() {
        float[] z = LatentNoise.of(LatentNoise.Source.NV, 0).next(12);
        for (int i = 0; i < 12; i++) assertEquals(CUDA_SEED0[i], z[i], 1e-6, "element " + i);
    }

    @Test
    void gpuIsAnotherNameForNv() {
        assertEquals(LatentNoise.Source.NV, LatentNoise.Source.parse("GPU"));
        assertEquals(LatentNoise.Source.CPU, LatentNoise.Source.parse("cpu"));
        assertThrows(InputException.class, () -> LatentNoise.Source.parse("quantum"));
    }

    @Test
    void nvDrawsMoveOnAndTheFirstDrawDoesNotDependOnItsLength() {
        LatentNoise a = LatentNoise.of(LatentNoise.Source.NV, 1234), b = LatentNoise.of(LatentNoise.Source.NV, 1234);
        float[] first = a.next(16384), head = b.next(12);
        for (int i = 0; i < 12; i++) assertEquals(first[i], head[i], "element " + i); // element i depends on i only
        float[] second = a.next(16384);
        int same = 0;
        double sum = 0, sq = 0;
        for (int i = 0; i < first.length; i++) {
            if (first[i] == second[i]) same++;
            sum += second[i];
            sq += second[i] * second[i];
        }
        assertTrue(same < 5, "the second draw repeats the first");
        assertEquals(0, sum / first.length, 0.03);
        assertEquals(1, sq / first.length, 0.05);
    }

    @Test
    void cpuSourceIsTorchCpuRandn() {
        float[] z = LatentNoise.of(LatentNoise.Source.CPU, 0).next(12);
        for (int i = 0; i < 12; i++) assertEquals(CPU_SEED0[i], z[i], 1e-4, "element " + i);
    }

    @Test
    void cpuSourceContinuesItsStreamWhateverElseDrawsInBetween() {
        LatentNoise a = LatentNoise.of(LatentNoise.Source.CPU, 7);
        float[] a1 = a.next(64);
        LatentNoise.of(LatentNoise.Source.CPU, 99).next(1000); // another generation in between
        float[] a2 = a.next(64);
        LatentNoise b = LatentNoise.of(LatentNoise.Source.CPU, 7);
        assertArrayEquals(a1, b.next(64));
        assertArrayEquals(a2, b.next(64));
        assertFalse(Arrays.equals(a1, a2));
    }
}
