package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * Bilinear resizing of NCHW tensors as {@code F.interpolate(x, scale_factor=s, mode='bilinear',
 * align_corners=False)} computes it (for the factors 2 and 1/2 the size and the scale factor give
 * the same sampling grid). {@link #bilinear} is for enlarging only: libtorch's kernel behind DJL
 * antialiases when shrinking.
 */
public final class Resample {
    /** libtorch's native mode number for bilinear (DJL maps its BILINEAR interpolation to 2). */
    private static final int BILINEAR = 2;

    private Resample() {}

    public static NDArray bilinear(NDArray x, long height, long width) {
        return Layers.interpolate(x, new long[] {height, width}, BILINEAR, false);
    }

    public static NDArray upsample2x(NDArray x) {
        var s = x.getShape();
        return bilinear(x, s.get(2) * 2, s.get(3) * 2);
    }

    /**
     * Halving: align_corners=False bilinear at scale 1/2 samples exactly between each 2×2 block, so
     * it is a 2×2 average pool (libtorch's interpolate through DJL antialiases when shrinking, which
     * PyTorch's default does not).
     */
    public static NDArray downsample2x(NDArray x) {
        return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
    }
}
