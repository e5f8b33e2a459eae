package studio.render.neural;

import ai.djl.ndarray.NDArray;
import studio.nn.Conv;
import studio.nn.Params;

/**
 * SadTalker's MappingNet: a window of 27 frames of 3DMM coefficients (70, or 73 with the crop
 * parameters in full mode) → head-pose bin logits, translation and keypoint expression deltas.
 * Conv1d(k7) then three residual dilated Conv1d(k3, dilation 3) layers, average pool, linear heads.
 */
final class MappingNet {
    private static final int LAYERS = 3;
    private final Conv first;
    private final Conv[] encoders = new Conv[LAYERS];
    private final NDArray[] yaw, pitch, roll, t, exp;
    final int coefficients;

    MappingNet(Params p) {
        coefficients = (int) p.shape("first.0.weight")[1];
        first = Conv.load(p.sub("first.0"), 0);
        for (int i = 0; i < LAYERS; i++) encoders[i] = Conv.load(p.sub("encoder" + i + ".1"), 1, 0, 3);
        yaw = linear(p.sub("fc_yaw"));
        pitch = linear(p.sub("fc_pitch"));
        roll = linear(p.sub("fc_roll"));
        t = linear(p.sub("fc_t"));
        exp = linear(p.sub("fc_exp"));
    }

    private static NDArray[] linear(Params p) {
        return new NDArray[] {p.get("weight").transpose(), p.get("bias")};
    }

    /** {@code semantics}: (B, coefficients, 27). */
    HeadMotion apply(NDArray semantics) {
        int batch = (int) semantics.getShape().get(0);
        NDArray out = first.apply(semantics);
        for (Conv encoder : encoders) {
            long len = out.getShape().get(2);
            NDArray skip = out.get(":, :, 3:" + (len - 3));
            out = encoder.apply(Blocks.leakyRelu(out, 0.1f)).add(skip);
        }
        NDArray pooled = out.mean(new int[] {2});
        return new HeadMotion(
                batch, head(pooled, yaw), head(pooled, pitch), head(pooled, roll), head(pooled, t), head(pooled, exp));
    }

    private static float[] head(NDArray x, NDArray[] wb) {
        return x.matMul(wb[0]).add(wb[1]).toFloatArray();
    }
}
