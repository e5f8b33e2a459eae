package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;

/**
 * StyleGAN2's modulated convolution (the "clean" form, no custom CUDA ops): the style scales the
 * kernel's input channels per sample, the kernel is optionally demodulated to unit norm per output
 * channel, and the whole batch runs as one grouped convolution (batch folded into the groups).
 *
 * <p>Keys under the module: {@code weight} (1, out, in, k, k), {@code modulation.weight} (in, styleDim),
 * {@code modulation.bias} (in).
 */
public final class ModulatedConv2d {
    private static final double DEMODULATION_EPS = 1e-8;

    private final NDArray weight;
    private final NDArray modulationWeight;
    private final NDArray modulationBias;
    private final int in, out, kernel;
    private final boolean demodulate, upsample;

    public ModulatedConv2d(Params p, int in, int out, int kernel, int styleDim, boolean demodulate, boolean upsample) {
        this.weight = p.get("weight", 1, out, in, kernel, kernel);
        this.modulationWeight = p.get("modulation.weight", in, styleDim);
        this.modulationBias = p.get("modulation.bias", in);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.demodulate = demodulate;
        this.upsample = upsample;
    }

    public int outChannels() {
        return out;
    }

    /** @param x (b, in, h, w); @param style (b, styleDim) → (b, out, h', w'), h' = 2h when upsampling. */
    public NDArray forward(NDArray x, NDArray style) {
        long b = x.getShape().get(0);
        NDArray s = Linear.linear(style, modulationWeight, modulationBias)
                .singletonOrThrow()
                .reshape(b, 1, in, 1, 1);
        // style first: results live in the caller's (per-batch) manager, not the weights' manager
        NDArray w = s.mul(weight);
        if (demodulate) {
            NDArray norm =
                    w.square().sum(new int[] {2, 3, 4}).add(DEMODULATION_EPS).sqrt();
            w = w.div(norm.reshape(b, out, 1, 1, 1));
        }
        w = w.reshape(b * out, in, kernel, kernel);
        if (upsample) x = Resample.upsample2x(x);
        var xs = x.getShape();
        if (b > 1 && Autocast.bf16()) {
            // oneDNN's grouped bf16 conv is ~2× slower than b plain ones (GFPGAN at batch 2: 1.8 vs 0.9 s/face)
            NDArray[] ys = new NDArray[(int) b];
            for (int i = 0; i < b; i++)
                ys[i] = Layers.conv(
                        x.get(i + ":" + (i + 1)),
                        w.get(i * (long) out + ":" + (i + 1) * (long) out),
                        null,
                        1,
                        kernel / 2,
                        1,
                        1);
            return NDArrays.concat(new NDList(ys), 0);
        }
        NDArray y = Layers.conv(x.reshape(1, b * in, xs.get(2), xs.get(3)), w, null, 1, kernel / 2, 1, (int) b);
        return y.reshape(b, out, xs.get(2), xs.get(3));
    }
}
