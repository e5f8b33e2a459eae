package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Per-thread mixed precision, as {@code torch.autocast}: inside a {@link Scope} for fp16 the
 * convolutions, linear layers and batched matrix products cast their inputs (and, once, their
 * weights) to fp16 and their results back to fp32, so every other operation and every caller keep
 * seeing fp32 tensors. Outside a scope, or in an fp32 scope, the layers run as they always did.
 *
 * <p>On the CPU, libtorch's fp16 convolutions are single-threaded reference loops (a 3-D one
 * takes minutes), so there fp16 is emulated the way a GPU's tensor cores compute it: inputs and
 * weights rounded to fp16, products accumulated in fp32, the result rounded to fp16. That gives
 * the same rounding error at fp32 speed, which is what the fp16 golden tests measure on a machine
 * without a GPU.
 */
public final class Autocast {
    private static final ThreadLocal<Compute.Precision> CURRENT = ThreadLocal.withInitial(() -> Compute.Precision.FP32);

    private Autocast() {}

    /** Sets the precision for this thread until the scope closes (scopes nest). */
    public static Scope enter(Compute.Precision p) {
        Compute.Precision before = CURRENT.get();
        CURRENT.set(p);
        return new Scope(before);
    }

    /** Whether the heavy layers on this thread compute in fp16. */
    public static boolean half() {
        return CURRENT.get() == Compute.Precision.FP16;
    }

    /** Restores the precision that was in force before {@link #enter}. */
    public static final class Scope implements AutoCloseable {
        private final Compute.Precision before;

        private Scope(Compute.Precision before) {
            this.before = before;
        }

        @Override
        public void close() {
            CURRENT.set(before);
        }
    }

    /** {@code x} as fp16 (a new array in x's manager), or x itself when it already is. */
    static NDArray toHalf(NDArray x) {
        return x == null || x.getDataType() == DataType.FLOAT16 ? x : x.toType(DataType.FLOAT16, false);
    }

    /** A convolution in fp16 with an fp32 result; {@code w}, {@code b} may already be fp16 (cached by the layer). */
    static NDArray conv(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
        if (!x.getDevice().isGpu()) {
            NDArray xr = rounded(x), wr = rounded(w), br = rounded(b);
            NDArray y = JniUtils.convolution(
                    (PtNDArray) xr, (PtNDArray) wr, (PtNDArray) br, stride, padding, dilation, groups);
            return roundedResult(y, x, xr, w, wr, b, br);
        }
        NDArray xh = toHalf(x), wh = toHalf(w), bh = toHalf(b);
        NDArray y =
                JniUtils.convolution((PtNDArray) xh, (PtNDArray) wh, (PtNDArray) bh, stride, padding, dilation, groups);
        return backToFloat(y, x, xh, w, wh, b, bh);
    }

    /** nn.Linear in fp16 with an fp32 result. */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        if (!x.getDevice().isGpu()) {
            NDArray xr = rounded(x), wr = rounded(w), br = rounded(b);
            NDArray y = JniUtils.linear((PtNDArray) xr, (PtNDArray) wr, (PtNDArray) br);
            return roundedResult(y, x, xr, w, wr, b, br);
        }
        NDArray xh = toHalf(x), wh = toHalf(w), bh = toHalf(b);
        NDArray y = JniUtils.linear((PtNDArray) xh, (PtNDArray) wh, (PtNDArray) bh);
        return backToFloat(y, x, xh, w, wh, b, bh);
    }

    /** A batched matrix product in fp16 with an fp32 result. */
    static NDArray bmm(NDArray a, NDArray b) {
        if (!a.getDevice().isGpu()) {
            NDArray ar = rounded(a), br = rounded(b);
            NDArray y = JniUtils.bmm((PtNDArray) ar, (PtNDArray) br);
            return roundedResult(y, a, ar, b, br, null, null);
        }
        NDArray ah = toHalf(a), bh = toHalf(b);
        NDArray y = JniUtils.bmm((PtNDArray) ah, (PtNDArray) bh);
        return backToFloat(y, a, ah, b, bh, null, null);
    }

    /** {@code x} rounded to fp16 and held as fp32 (the CPU's emulation); fp16 input (a cached weight) back to fp32. */
    private static NDArray rounded(NDArray x) {
        if (x == null) return null;
        if (x.getDataType() == DataType.FLOAT16) return x.toType(DataType.FLOAT32, false);
        try (NDArray h = x.toType(DataType.FLOAT16, false)) {
            return h.toType(DataType.FLOAT32, false);
        }
    }

    /** The emulated result: y rounded to fp16, in fp32; the rounded copies made for this call are closed. */
    private static NDArray roundedResult(
            NDArray y, NDArray a, NDArray ar, NDArray b, NDArray br, NDArray c, NDArray cr) {
        NDArray out = rounded(y);
        y.close();
        if (ar != a) ar.close();
        if (br != b) br.close();
        if (cr != c) cr.close();
        return out;
    }

    /** y as fp32; the fp16 copies made for this call (not the cached ones passed in) are closed. */
    private static NDArray backToFloat(NDArray y, NDArray a, NDArray ah, NDArray b, NDArray bh, NDArray c, NDArray ch) {
        NDArray out = y.toType(DataType.FLOAT32, false);
        y.close();
        if (ah != a) ah.close();
        if (bh != b) bh.close();
        if (ch != c) ch.close();
        return out;
    }
}
