package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * nn.ReflectionPad2d for NCHW tensors (mirror without repeating the edge), which DJL's pad (constant
 * only) does not offer: the mirrored strips are sliced, flipped and concatenated.
 */
public final class ReflectionPad {
    private ReflectionPad() {}

    public static NDArray pad2d(NDArray x, int p) {
        if (p == 0) return x;
        return padAxis(padAxis(x, 2, p), 3, p);
    }

    private static NDArray padAxis(NDArray x, int axis, int p) {
        long n = x.getShape().get(axis);
        if (p >= n) throw new IllegalArgumentException("reflection pad " + p + " needs more than " + n + " pixels");
        String before = axis == 2 ? ":, :, 1:" + (p + 1) : ":, :, :, 1:" + (p + 1);
        String after = axis == 2 ? ":, :, " + (n - p - 1) + ":" + (n - 1) : ":, :, :, " + (n - p - 1) + ":" + (n - 1);
        return NDArrays.concat(
                new NDList(x.get(before).flip(axis), x, x.get(after).flip(axis)), axis);
    }
}
