package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;

/**
 * PyTorch-style functional layers over DJL NDArrays (NCHW), reading weights through {@link Params}
 * with the key names PyTorch modules use ({@code weight}, {@code bias}, {@code running_mean}...).
 * Shared by every network of the app.
 */
public final class Layers {
    private Layers() {}

    /**
     * A parameter reshaped for broadcasting against {@code x}, owned by {@code x}'s (per-call)
     * manager. DJL gives an op's result to its receiver's manager: {@code weight.reshape(...)} in a
     * forward pass would pile one array per call into the long-lived weights' manager.
     */
    public static NDArray view(NDArray param, NDArray x, long... shape) {
        NDArray v = param.reshape(shape);
        v.attach(x.getManager());
        return v;
    }

    /** (1, C, 1, ...) matching the rank of {@code x}, for per-channel parameters. */
    public static long[] channelShape(NDArray x, long channels) {
        long[] b = new long[x.getShape().dimension()];
        Arrays.fill(b, 1);
        b[1] = channels;
        return b;
    }

    /** nn.Conv2d / Conv3d / Conv1d (the weight's rank decides), weights {@code p.weight}, optional {@code p.bias}. */
    public static NDArray conv(Params p, NDArray x, int stride, int padding) {
        return conv(p, x, stride, padding, 1, 1);
    }

    public static NDArray conv(Params p, NDArray x, int stride, int padding, int dilation, int groups) {
        NDArray w = p.get("weight");
        NDArray b = p.has("bias") ? p.get("bias") : null;
        return conv(x, w, b, stride, padding, dilation, groups);
    }

    /** Functional convolution with the same stride/padding/dilation on every spatial axis. */
    public static NDArray conv(NDArray x, NDArray w, NDArray b, int stride, int padding, int dilation, int groups) {
        int dims = (int) w.getShape().dimension() - 2;
        if (Autocast.reduced())
            return Autocast.conv(x, w, b, repeat(stride, dims), repeat(padding, dims), repeat(dilation, dims), groups);
        return JniUtils.convolution(
                (PtNDArray) x,
                (PtNDArray) w,
                (PtNDArray) b,
                repeat(stride, dims),
                repeat(padding, dims),
                repeat(dilation, dims),
                groups);
    }

    /** nn.Linear: y = x W^T + b. */
    public static NDArray linear(Params p, NDArray x) {
        NDArray b = p.has("bias") ? p.get("bias") : null;
        if (Autocast.reduced()) return Autocast.linear(x, p.get("weight"), b);
        return Linear.linear(x, p.get("weight"), b).singletonOrThrow();
    }

    /** nn.BatchNorm1d/2d/3d in evaluation mode (running statistics). */
    public static NDArray batchNorm(Params p, NDArray x, double eps) {
        return BatchNorm.batchNorm(
                        x,
                        p.get("running_mean"),
                        p.get("running_var"),
                        p.has("weight") ? p.get("weight") : null,
                        p.has("bias") ? p.get("bias") : null,
                        1,
                        0.1f,
                        (float) eps,
                        false)
                .singletonOrThrow();
    }

    /** nn.LayerNorm over the last axis. */
    public static NDArray layerNorm(Params p, NDArray x, double eps) {
        long last = x.getShape().get(x.getShape().dimension() - 1);
        return LayerNorm.layerNorm(x, new Shape(last), p.get("weight"), p.get("bias"), (float) eps)
                .singletonOrThrow();
    }

    /** nn.GroupNorm (affine when {@code p} is not null), for NC... input. */
    public static NDArray groupNorm(Params p, NDArray x, int groups, double eps) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1);
        NDArray g = x.reshape(n, groups, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray centered = g.sub(mean);
        NDArray var = centered.square().mean(new int[] {2}, true);
        NDArray y = centered.div(var.add(eps).sqrt()).reshape(s);
        if (p == null) return y;
        long[] bshape = channelShape(x, c);
        return y.mul(view(p.get("weight"), x, bshape)).add(view(p.get("bias"), x, bshape));
    }

    /** Instance norm without affine parameters (per sample and channel over the spatial axes). */
    public static NDArray instanceNorm(NDArray x, double eps) {
        return NativeNorms.instance(x, eps);
    }

    /** x * sigmoid(x) (SiLU / swish). */
    public static NDArray silu(NDArray x) {
        return x.mul(JniUtils.sigmoid((PtNDArray) x));
    }

    public static NDArray leakyRelu(NDArray x, double slope) {
        return Activation.leakyRelu(x, (float) slope);
    }

    /**
     * F.interpolate to a spatial size, through DJL's JNI. The mode number is DJL's native
     * numbering (check it against a small known case before relying on a mode).
     */
    public static NDArray interpolate(NDArray x, long[] size, int mode, boolean alignCorners) {
        return JniUtils.interpolate((PtNDArray) x, size, mode, alignCorners);
    }

    static Shape repeat(int v, int dims) {
        long[] a = new long[dims];
        Arrays.fill(a, v);
        return new Shape(a);
    }
}
