package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code F.interpolate(mode='nearest')} for integer scale factors on the last two axes. 4-D and
 * 5-D arrays go through libtorch's own kernel (a TorchScript module): it keeps the channels-last
 * layout the bf16 convs leave behind, where reshaping would copy the whole tensor twice. Other
 * ranks broadcast each pixel over a factor × factor block. Both are exact.
 */
public final class NearestUpsample {
    private NearestUpsample() {}

    /** Scales the last two axes (H, W) of an (…, H, W) array by {@code factor}. */
    public static NDArray scale(NDArray x, int factor) {
        if (factor == 1) return x;
        Shape s = x.getShape();
        int r = (int) s.dimension();
        if (r == 4 || r == 5) return Kernel.MODULE.call(x.getManager(), "nearest", x, (long) factor);
        long h = s.get(r - 2), w = s.get(r - 1);
        long[] expanded = new long[r + 2];
        long[] target = new long[r + 2];
        long[] out = new long[r];
        for (int i = 0; i < r - 2; i++) {
            expanded[i] = target[i] = out[i] = s.get(i);
        }
        expanded[r - 2] = h;
        expanded[r - 1] = 1;
        expanded[r] = w;
        expanded[r + 1] = 1;
        target[r - 2] = h;
        target[r - 1] = factor;
        target[r] = w;
        target[r + 1] = factor;
        out[r - 2] = h * factor;
        out[r - 1] = w * factor;
        return x.reshape(new Shape(expanded)).broadcast(new Shape(target)).reshape(new Shape(out));
    }

    private static final class Kernel { // holder: compiled on first use
        static final TorchScript MODULE = TorchScript.compile("StudioNearest", """
                def nearest(self, x: Tensor, f: int) -> Tensor:
                  if x.dim() == 4:
                    return torch.upsample_nearest2d(x, [x.size(2) * f, x.size(3) * f], None, None)
                  return torch.upsample_nearest3d(x, [x.size(2), x.size(3) * f, x.size(4) * f], None, None, None)
                """);
    }
}
