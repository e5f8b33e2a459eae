package studio.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Bilinear resampling as PyTorch's F.interpolate(align_corners=False) computes it (values worked by hand). */
class ResampleTest {
    @Test
    void upsamplesWithHalfPixelCentres() {
        try (NDManager m = NDManager.newBaseManager()) {
            var x = m.create(new float[] {0, 4}, new Shape(1, 1, 1, 2));
            // output x-centres map to source -0.25, 0.25, 0.75, 1.25 (clamped to the edges)
            assertArrayEquals(
                    new float[] {0, 1, 3, 4, 0, 1, 3, 4}, Resample.upsample2x(x).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void downsamplesByAveragingPairs() {
        try (NDManager m = NDManager.newBaseManager()) {
            var x = m.create(new float[] {1, 3, 5, 7, 1, 3, 5, 7}, new Shape(1, 1, 2, 4));
            assertArrayEquals(new float[] {2, 6}, Resample.downsample2x(x).toFloatArray(), 1e-6f);
        }
    }
}
