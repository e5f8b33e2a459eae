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

    /**
     * Doubling, {@code F.interpolate(x, scale_factor=2, mode='bilinear')}. Through TorchScript, not
     * DJL's interpolate: DJL asks libtorch for the antialiased kernel, which gives the same values
     * when enlarging but has no channels-last path and took a quarter of GFPGAN's time in bf16
     * (whose convs leave their results channels-last, see {@link Bfloat16}).
     */
    public static NDArray upsample2x(NDArray x) {
        return Doubling.MODULE.call(x.getManager(), "up2", x);
    }

    private static final class Doubling { // holder: compiled on first use
        static final TorchScript MODULE = TorchScript.compile("StudioResample", """
                def up2(self, x: Tensor) -> Tensor:
                  return torch.upsample_bilinear2d(x, [x.size(2) * 2, x.size(3) * 2], False, None, None)
                """);
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
