package studio.render.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import studio.nn.Conv;
import studio.nn.GridSample;
import studio.nn.NearestUpsample;
import studio.nn.Params;

/**
 * face-vid2vid's DenseMotionNetwork over the 3-D feature volume: one sparse motion per keypoint
 * (plus the identity as background), the compressed source volume warped by each, heatmap
 * differences of driving vs source keypoints, a 3-D hourglass, a softmax mask blending the
 * motions into one dense deformation, and an occlusion map.
 */
final class DenseMotionNetwork {
    private static final double BN_EPS = 1e-5;
    private static final double KP_VARIANCE = 0.01;
    private final Conv compress;
    private final Conv[] encoder = new Conv[5];
    private final Conv[] decoder = new Conv[5];
    private final Conv decoderOut;
    private final Conv mask;
    private final Conv occlusion;
    private float[] grid;
    private int[] gridSize;

    /** What the network computes with the source alone, once per source image. */
    record SourceVolume(GridSample.Volume compressed) {}

    /** The dense deformation (B, d, h, w, 3) and occlusion map (B, 1, h, w). */
    record Motion(NDArray deformation, NDArray occlusion) {}

    DenseMotionNetwork(Params p) {
        compress = Conv.withBatchNorm(p.sub("compress"), p.sub("norm"), BN_EPS, 0);
        for (int i = 0; i < 5; i++) {
            Params b = p.sub("hourglass.encoder.down_blocks." + i);
            encoder[i] = Conv.withBatchNorm(b.sub("conv"), b.sub("norm"), BN_EPS, 1);
            Params u = p.sub("hourglass.decoder.up_blocks." + i);
            decoder[i] = Conv.withBatchNorm(u.sub("conv"), u.sub("norm"), BN_EPS, 1);
        }
        decoderOut = Conv.withBatchNorm(p.sub("hourglass.decoder.conv"), p.sub("hourglass.decoder.norm"), BN_EPS, 1);
        mask = Conv.load(p.sub("mask"), 3);
        occlusion = Conv.load(p.sub("occlusion"), 3);
    }

    SourceVolume source(NDArray feature3d) {
        return new SourceVolume(Blocks.volume(Blocks.relu(compress.apply(feature3d))));
    }

    /** kpSource, kpDriving: (B, 15, 3). */
    Motion apply(SourceVolume source, NDArray kpSource, NDArray kpDriving) {
        GridSample.Volume feature = source.compressed();
        long c = feature.channels(), d = feature.depth(), h = feature.height(), w = feature.width();
        long b = kpDriving.getShape().get(0), k = kpDriving.getShape().get(1);
        // created in the frame's manager so everything derived from it is freed with the frame
        NDArray identity = kpDriving.getManager().create(grid((int) d, (int) h, (int) w), new Shape(1, 1, d, h, w, 3));

        // sparse motions (B, K+1, d, h, w, 3): identity, then grid - kp_driving + kp_source per keypoint
        NDArray driving = kpDriving.reshape(b, k, 1, 1, 1, 3);
        NDArray sourceKp = kpSource.reshape(b, k, 1, 1, 1, 3);
        NDArray toSource = identity.sub(driving).add(sourceKp);
        NDArray sparse = identity.broadcast(b, 1, d, h, w, 3).concat(toSource, 1);

        // the compressed source volume warped by every sparse motion: stacked along depth, one gather pass
        NDArray warped = GridSample.trilinear(feature, sparse.reshape(b, (k + 1) * d, h, w, 3), false)
                .reshape(b, c, k + 1, d, h, w)
                .transpose(0, 2, 1, 3, 4, 5);

        NDArray heat = gaussian(identity, driving, b, k, d, h, w).sub(gaussian(identity, sourceKp, b, k, d, h, w));
        heat = heat.getManager().zeros(new Shape(b, 1, d, h, w)).concat(heat, 1).reshape(b, k + 1, 1, d, h, w);

        NDArray x = heat.concat(warped, 2).reshape(b, (k + 1) * (c + 1), d, h, w);
        NDArray prediction = hourglass(x);

        NDArray weights = mask.apply(prediction).softmax(1);
        weights = NDArrays.where(weights.lt(1e-3f), weights.zerosLike(), weights);
        NDArray deformation = sparse.transpose(0, 1, 5, 2, 3, 4)
                .mul(weights.reshape(b, k + 1, 1, d, h, w))
                .sum(new int[] {1})
                .transpose(0, 2, 3, 4, 1);

        long pc = prediction.getShape().get(1);
        NDArray occ = Activation.sigmoid(occlusion.apply(prediction.reshape(b, pc * d, h, w)));
        return new Motion(deformation, occ);
    }

    /** exp(-0.5 · |grid - kp|² / variance) for each keypoint: (B, K, d, h, w). */
    private static NDArray gaussian(NDArray identity, NDArray kp, long b, long k, long d, long h, long w) {
        return identity.sub(kp)
                .square()
                .sum(new int[] {5})
                .mul(-0.5)
                .div(KP_VARIANCE)
                .exp();
    }

    private NDArray hourglass(NDArray x) {
        NDList skips = new NDList();
        skips.add(x);
        NDArray out = x;
        for (Conv c : encoder) {
            out = Blocks.avgPool2(Blocks.relu(c.apply(out)));
            skips.add(out);
        }
        out = skips.remove(skips.size() - 1);
        for (Conv c : decoder) {
            out = Blocks.relu(c.apply(NearestUpsample.scale(out, 2)));
            out = out.concat(skips.remove(skips.size() - 1), 1);
        }
        return Blocks.relu(decoderOut.apply(out));
    }

    private float[] grid(int d, int h, int w) {
        if (grid == null || gridSize[0] != d || gridSize[1] != h || gridSize[2] != w) {
            grid = Blocks.coordinateGrid(d, h, w);
            gridSize = new int[] {d, h, w};
        }
        return grid;
    }
}
