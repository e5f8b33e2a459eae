package studio.face;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import studio.weights.StateDict;

/**
 * TensorFlow semantics on PyTorch (NCHW) for the face-api networks: TF's "same" padding puts the odd
 * pixel after (bottom/right), unlike PyTorch's symmetric padding, and TF filters are HWIO.
 */
final class TfjsOps {
    private TfjsOps() {}

    /** A TF conv filter [kh, kw, in, out] as a PyTorch weight [out, in, kh, kw]. */
    static NDArray convWeight(StateDict w, String key, NDManager m) {
        long[] s = w.require(key).shape();
        return m.create(w.floats(key), new Shape(s)).transpose(3, 2, 0, 1).duplicate();
    }

    /** A TF depthwise filter [kh, kw, in, 1] as a grouped PyTorch weight [in, 1, kh, kw]. */
    static NDArray depthwiseWeight(StateDict w, String key, NDManager m) {
        long[] s = w.require(key).shape();
        return m.create(w.floats(key), new Shape(s)).transpose(2, 3, 0, 1).duplicate();
    }

    /** A per-channel vector shaped [1, C, 1, 1] for broadcasting over NCHW. */
    static NDArray channelVector(float[] v, NDManager m) {
        return m.create(v, new Shape(1, v.length, 1, 1));
    }

    static NDArray channelVector(StateDict w, String key, NDManager m) {
        return channelVector(w.floats(key), m);
    }

    /** Pads x (NCHW) as TF's "same" does for a kernel k and stride s: extra pixel at the end. */
    static NDArray padSame(NDArray x, int k, int s, double value) {
        long h = x.getShape().get(2), wd = x.getShape().get(3);
        long[] ph = samePadding(h, k, s), pw = samePadding(wd, k, s);
        if (ph[0] == 0 && ph[1] == 0 && pw[0] == 0 && pw[1] == 0) return x;
        return JniUtils.pad((PtNDArray) x, new long[] {pw[0], pw[1], ph[0], ph[1]}, value);
    }

    static long[] samePadding(long in, int k, int s) {
        long out = (in + s - 1) / s;
        long total = Math.max(0, (out - 1) * s + k - in);
        return new long[] {total / 2, total - total / 2};
    }

    /** tf.conv2d(x, filters, stride, 'same') (+ bias when not null); weight already OIHW. */
    static NDArray convSame(NDArray x, NDArray weight, NDArray bias, int stride) {
        int k = (int) weight.getShape().get(2);
        NDArray p = padSame(x, k, stride, 0);
        return conv(p, weight, bias, stride, 1);
    }

    /** tf.depthwiseConv2d(x, filters, stride, 'same'); weight [C, 1, kh, kw]. */
    static NDArray depthwiseSame(NDArray x, NDArray weight, int stride) {
        int k = (int) weight.getShape().get(2);
        NDArray p = padSame(x, k, stride, 0);
        return conv(p, weight, null, stride, (int) weight.getShape().get(0));
    }

    static NDArray conv(NDArray x, NDArray weight, NDArray bias, int stride, int groups) {
        return JniUtils.convolution(
                (PtNDArray) x,
                (PtNDArray) weight,
                (PtNDArray) bias,
                new Shape(stride, stride),
                new Shape(0, 0),
                new Shape(1, 1),
                groups);
    }

    /** tf.maxPool(x, [k, k], [s, s], 'same'): padded cells never win. */
    static NDArray maxPoolSame(NDArray x, int k, int s) {
        NDArray p = padSame(x, k, s, Double.NEGATIVE_INFINITY);
        return JniUtils.maxPool((PtNDArray) p, new Shape(k, k), new Shape(s, s), new Shape(0, 0), false);
    }

    static NDArray relu6(NDArray x) {
        return x.clip(0, 6);
    }

    /**
     * The image as the [1, 3, size, size] float batch face-api's {@code NetInput.toBatchTensor}
     * builds from a tensor: padded to a square with zeros (at the end, or centred as
     * {@code padToSquare} splits it), then resized with TF's legacy bilinear resize (no half-pixel
     * centres, no corner alignment), then {@code (v - mean[c]) * mul}.
     */
    static float[] batchInput(
            RgbImage img, int x0, int y0, int w, int h, int size, boolean centre, float[] mean, float mul) {
        int side = Math.max(w, h);
        int diff = Math.abs(w - h);
        int before = 0;
        if (centre && diff > 0) {
            int after = (int) Math.round(diff * 0.5); // Math.round as JS rounds .5 up
            before = diff - after;
        }
        int padX = w < h ? before : 0, padY = h < w ? before : 0;
        float[] out = new float[3 * size * size];
        boolean resize = side != size;
        double ratio = (double) side / size;
        byte[] rgb = img.rgb();
        int stride = img.width();
        for (int oy = 0; oy < size; oy++) {
            double sy = resize ? ratio * oy : oy;
            int y0f = (int) Math.floor(sy);
            int y1f = Math.min(side - 1, (int) Math.ceil(sy));
            double fy = sy - y0f;
            for (int ox = 0; ox < size; ox++) {
                double sx = resize ? ratio * ox : ox;
                int x0f = (int) Math.floor(sx);
                int x1f = Math.min(side - 1, (int) Math.ceil(sx));
                double fx = sx - x0f;
                for (int c = 0; c < 3; c++) {
                    double tl = sample(rgb, stride, x0, y0, w, h, x0f - padX, y0f - padY, c);
                    double tr = sample(rgb, stride, x0, y0, w, h, x1f - padX, y0f - padY, c);
                    double bl = sample(rgb, stride, x0, y0, w, h, x0f - padX, y1f - padY, c);
                    double br = sample(rgb, stride, x0, y0, w, h, x1f - padX, y1f - padY, c);
                    double top = tl + (tr - tl) * fx;
                    double bottom = bl + (br - bl) * fx;
                    float v = (float) (top + (bottom - top) * fy);
                    out[(c * size + oy) * size + ox] = (v - mean[c]) * mul;
                }
            }
        }
        return out;
    }

    private static double sample(byte[] rgb, int stride, int x0, int y0, int w, int h, int x, int y, int c) {
        if (x < 0 || y < 0 || x >= w || y >= h) return 0;
        return rgb[((y0 + y) * stride + x0 + x) * 3 + c] & 0xff;
    }
}
