package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * nn.ConvTranspose2d whose kernel equals its stride (no padding), the up-sampling of U-Nets:
 * every input pixel expands into its own kernel-sized output block, so it is one matrix product.
 * Written by hand because DJL's PyTorch engine exposes no transposed convolution.
 */
public final class TransposedConv {
    private TransposedConv() {}

    /**
     * @param x      N x C x H x W
     * @param weight C x O x kh x kw (PyTorch's layout for transposed convolutions)
     * @param bias   O, or null
     * @return N x O x (H*kh) x (W*kw)
     */
    public static NDArray blockUpsample(NDArray x, NDArray weight, NDArray bias) {
        Shape xs = x.getShape(), ws = weight.getShape();
        long n = xs.get(0), c = xs.get(1), h = xs.get(2), w = xs.get(3);
        long o = ws.get(1), kh = ws.get(2), kw = ws.get(3);
        NDArray rows = x.transpose(0, 2, 3, 1).reshape(n * h * w, c);
        NDArray y = rows.matMul(Layers.view(weight, x, c, o * kh * kw)); // (N H W) x (O kh kw)
        y = y.reshape(n, h, w, o, kh, kw).transpose(0, 3, 1, 4, 2, 5).reshape(n, o, h * kh, w * kw);
        return bias == null ? y : y.add(Layers.view(bias, x, 1, o, 1, 1));
    }
}
