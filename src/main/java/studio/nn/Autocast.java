package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Per-thread mixed precision, as {@code torch.autocast}: inside a {@link Scope} for fp16 or bf16
 * the convolutions, linear layers and batched matrix products cast their inputs (and, once, their
 * weights) to that type and their results back to fp32, so every other operation and every caller keep
 * seeing fp32 tensors. Outside a scope, or in an fp32 scope, the layers run as they always did.
 *
 * <p>On the CPU, libtorch's fp16 convolutions are single-threaded reference loops (a 3-D one
 * takes minutes), so there fp16 is emulated the way a GPU's tensor cores compute it: inputs and
 * weights rounded to fp16, products accumulated in fp32, the result rounded to fp16. That gives
 * the same rounding error at fp32 speed, which is what the fp16 golden tests measure on a machine
 * without a GPU. bf16 is real on both: on AMX / AVX512-BF16 CPUs it is several times faster than
 * fp32 ({@link Bfloat16}).
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

    /** Whether the heavy layers on this thread compute in fp16 or bf16. */
    static boolean reduced() {
        return CURRENT.get() != Compute.Precision.FP32;
    }

    /** Whether the heavy layers on this thread compute in bf16. */
    static boolean bf16() {
        return CURRENT.get() == Compute.Precision.BF16;
    }

    /**
     * A layer's weight cast once for this thread's reduced precision: fp16, or bf16 through
     * {@link Bfloat16} (then only usable by the {@code *Cast} kernels below).
     */
    static NDArray castWeight(NDArray w) {
        return bf16() ? Bfloat16.cast(w) : toHalf(w);
    }

    /** {@link #conv} with weights from {@link #castWeight} under the same precision. */
    static NDArray convCast(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
        if (bf16()) return Bfloat16.conv(x, w, b, stride, padding, dilation, groups);
        return conv(x, w, b, stride, padding, dilation, groups);
    }

    /** {@link #linear} with weights from {@link #castWeight} under the same precision. */
    static NDArray linearCast(NDArray x, NDArray w, NDArray b) {
        if (bf16()) return Bfloat16.linear(x, w, b);
        return linear(x, w, b);
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

    /**
     * A convolution in this thread's reduced precision with an fp32 result; {@code w}, {@code b}
     * are fp32 (or, under fp16, already fp16).
     */
    static NDArray conv(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
        if (bf16())
            try (NDArray wb = Bfloat16.cast(w);
                    NDArray bb = Bfloat16.cast(b)) {
                return Bfloat16.conv(x, wb, bb, stride, padding, dilation, groups);
            }
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

    /** nn.Linear in this thread's reduced precision with an fp32 result; weights as for {@link #conv}. */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        if (bf16())
            try (NDArray wb = Bfloat16.cast(w);
                    NDArray bb = Bfloat16.cast(b)) {
                return Bfloat16.linear(x, wb, bb);
            }
        if (!x.getDevice().isGpu()) {
            NDArray xr = rounded(x), wr = rounded(w), br = rounded(b);
            NDArray y = JniUtils.linear((PtNDArray) xr, (PtNDArray) wr, (PtNDArray) br);
            return roundedResult(y, x, xr, w, wr, b, br);
        }
        NDArray xh = toHalf(x), wh = toHalf(w), bh = toHalf(b);
        NDArray y = JniUtils.linear((PtNDArray) xh, (PtNDArray) wh, (PtNDArray) bh);
        return backToFloat(y, x, xh, w, wh, b, bh);
    }

    /** A batched matrix product in this thread's reduced precision with an fp32 result. */
    static NDArray bmm(NDArray a, NDArray b) {
        if (bf16()) return Bfloat16.bmm(a, b);
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
