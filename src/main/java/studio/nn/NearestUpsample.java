package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code F.interpolate(mode='nearest')} for integer scale factors on the last two axes, by
 * broadcasting each pixel over a factor × factor block: exact, and no dependence on the native
 * interpolation mode numbering.
 */
public final class NearestUpsample {
    private NearestUpsample() {}

    /** Scales the last two axes (H, W) of an (…, H, W) array by {@code factor}. */
    public static NDArray scale(NDArray x, int factor) {
        if (factor == 1) return x;
        Shape s = x.getShape();
        int r = (int) s.dimension();
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
}
