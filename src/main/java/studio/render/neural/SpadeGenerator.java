package studio.render.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import studio.nn.Conv;
import studio.nn.FoldedBatchNorm;
import studio.nn.GridSample;
import studio.nn.Params;
import studio.nn.ScopedForward;

/**
 * SadTalker's OcclusionAwareSPADEGenerator: a 2-D encoder lifted to a 3-D feature volume
 * (32 channels × depth 16) refined by six 3-D residual blocks, warped by the dense motion, folded
 * back to 2-D, masked by the occlusion map and decoded by the SPADE decoder.
 *
 * <p>The encoder and 3-D residual blocks see only the source image, so they run once per source
 * ({@link #source}) instead of once per frame as in the reference loop.
 */
final class SpadeGenerator {
    private static final double BN_EPS = 1e-5;
    private static final int DEPTH = 16;
    private final Conv first;
    private final Conv[] down = new Conv[2];
    private final Conv second;
    private final FoldedBatchNorm[] resNorm1 = new FoldedBatchNorm[6];
    private final Conv[] resConv1 = new Conv[6];
    private final Conv[] resConv2 = new Conv[6];
    private final Conv third;
    private final Conv fourth;
    private final DenseMotionNetwork denseMotion;
    private final SpadeDecoder decoder;

    /** The source's 3-D feature volume and the dense-motion network's compressed copy of it. */
    record Source(GridSample.Volume feature3d, DenseMotionNetwork.SourceVolume motionVolume) {}

    SpadeGenerator(Params p) {
        first = Conv.withBatchNorm(p.sub("first.conv"), p.sub("first.norm"), BN_EPS, 1);
        for (int i = 0; i < 2; i++)
            down[i] = Conv.withBatchNorm(
                    p.sub("down_blocks." + i + ".conv"), p.sub("down_blocks." + i + ".norm"), BN_EPS, 1);
        second = Conv.load(p.sub("second"), 0);
        for (int i = 0; i < 6; i++) {
            Params r = p.sub("resblocks_3d.3dr" + i);
            resNorm1[i] = new FoldedBatchNorm(r.sub("norm1"), BN_EPS, p.manager());
            // norm2 follows conv1 directly: folded into it
            resConv1[i] = Conv.withBatchNorm(r.sub("conv1"), r.sub("norm2"), BN_EPS, 1);
            resConv2[i] = Conv.load(r.sub("conv2"), 1);
        }
        third = Conv.withBatchNorm(p.sub("third.conv"), p.sub("third.norm"), BN_EPS, 1);
        fourth = Conv.load(p.sub("fourth"), 0);
        denseMotion = new DenseMotionNetwork(p.sub("dense_motion_network"));
        decoder = new SpadeDecoder(p.sub("decoder"));
    }

    /** image (1, 3, S, S) → the source-only part of the network. */
    Source source(NDArray image) {
        NDArray out = Blocks.relu(first.apply(image));
        for (Conv c : down) out = Blocks.avgPool2(Blocks.relu(c.apply(out)));
        out = second.apply(out);
        Shape s = out.getShape();
        NDArray volume = out.reshape(s.get(0), s.get(1) / DEPTH, DEPTH, s.get(2), s.get(3));
        for (int i = 0; i < 6; i++) {
            NDArray y = resConv1[i].apply(Blocks.relu(resNorm1[i].apply(volume)));
            volume = resConv2[i].apply(Blocks.relu(y)).add(volume);
        }
        return new Source(Blocks.volume(volume), denseMotion.source(volume));
    }

    /** Frames (B, 3, S, S) for source/driving keypoints (B, 15, 3). */
    NDArray apply(Source source, NDArray kpSource, NDArray kpDriving) {
        // scoped stages: the dense-motion intermediates are freed before the decoder runs
        NDList motion = ScopedForward.keepList(
                () -> {
                    DenseMotionNetwork.Motion m = denseMotion.apply(source.motionVolume(), kpSource, kpDriving);
                    return new NDList(m.deformation(), m.occlusion());
                },
                kpDriving,
                kpSource);
        NDArray feature = ScopedForward.keep(
                () -> {
                    NDArray warped = GridSample.trilinear(source.feature3d(), motion.get(0), false);
                    Shape s = warped.getShape();
                    NDArray out = warped.reshape(s.get(0), s.get(1) * s.get(2), s.get(3), s.get(4));
                    out = Blocks.leakyRelu(third.apply(out), 0.01f);
                    return fourth.apply(out).mul(motion.get(1));
                },
                motion.get(0),
                motion.get(1));
        motion.close();
        return decoder.apply(feature);
    }
}
