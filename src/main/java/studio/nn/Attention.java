package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Scaled dot-product attention softmax(q k^T * scale) v over (batch, tokens, dim) arrays, computed
 * in slices of the batch axis so the score matrix never exceeds a memory budget (a 512×512 image
 * has 4096 tokens: one full score tensor for 16 heads would be 1 GiB).
 */
public final class Attention {
    private Attention() {}

    /** Largest score tensor computed at once, in elements (64 Mi floats = 256 MiB). */
    private static final long MAX_SCORES = 64L << 20;

    public static NDArray attend(NDArray q, NDArray k, NDArray v, double scale) {
        long b = q.getShape().get(0),
                nq = q.getShape().get(1),
                nk = k.getShape().get(1);
        long perItem = nq * nk;
        long slice = Math.max(1, Math.min(b, MAX_SCORES / Math.max(1, perItem)));
        if (slice >= b) return attendAll(q, k, v, scale);
        NDList parts = new NDList();
        for (long i = 0; i < b; i += slice) {
            NDIndex idx = new NDIndex("{}:{}", i, Math.min(b, i + slice));
            try (NDManager m = q.getManager().newSubManager()) {
                NDArray qs = q.get(idx), ks = k.get(idx), vs = v.get(idx);
                qs.attach(m);
                ks.attach(m);
                vs.attach(m);
                NDArray o = attendAll(qs, ks, vs, scale);
                o.attach(q.getManager());
                parts.add(o);
            }
        }
        return NDArrays.concat(parts, 0);
    }

    /** Attention with an additive mask broadcast over the batch (e.g. a causal mask of -inf above the diagonal). */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, double scale, NDArray mask) {
        NDArray scores = bmm(q.mul(scale), k.transpose(0, 2, 1)).add(mask);
        NDArray w = JniUtils.softmax((PtNDArray) scores, -1, DataType.FLOAT32);
        return bmm(w, v);
    }

    private static NDArray attendAll(NDArray q, NDArray k, NDArray v, double scale) {
        NDArray scores = bmm(q.mul(scale), k.transpose(0, 2, 1));
        NDArray w = JniUtils.softmax((PtNDArray) scores, -1, DataType.FLOAT32);
        return bmm(w, v);
    }

    /** The two products are the attention's cost: fp16 or bf16 under autocast, the softmax stays fp32. */
    private static NDArray bmm(NDArray a, NDArray b) {
        return Autocast.reduced() ? Autocast.bmm(a, b) : JniUtils.bmm((PtNDArray) a, (PtNDArray) b);
    }

    /** (b, n, heads*d) → (b*heads, n, d). */
    public static NDArray splitHeads(NDArray x, int heads) {
        long b = x.getShape().get(0), n = x.getShape().get(1), c = x.getShape().get(2);
        return x.reshape(b, n, heads, c / heads).transpose(0, 2, 1, 3).reshape(b * heads, n, c / heads);
    }

    /** (b*heads, n, d) → (b, n, heads*d). */
    public static NDArray mergeHeads(NDArray x, int heads) {
        long bh = x.getShape().get(0), n = x.getShape().get(1), d = x.getShape().get(2);
        return x.reshape(bh / heads, heads, n, d).transpose(0, 2, 1, 3).reshape(bh / heads, n, heads * d);
    }
}
