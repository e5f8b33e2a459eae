package studio.nn;

import ai.djl.ndarray.NDArray;

/** nn.Conv2d with its weights loaded once (square kernel, same stride/padding on both axes). */
public record Conv2d(NDArray weight, NDArray bias, int stride, int padding) {
    /** Loads {@code weight} [out, in, k, k] and {@code bias} [out]. */
    public static Conv2d load(TensorLoader p, long in, long out, int kernel, int stride, int padding) {
        return new Conv2d(p.get("weight", out, in, kernel, kernel), p.get("bias", out), stride, padding);
    }

    public NDArray forward(NDArray x) {
        return Layers.conv(x, weight, bias, stride, padding, 1, 1);
    }
}
