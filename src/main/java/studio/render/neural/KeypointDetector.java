package studio.render.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import studio.nn.Conv;
import studio.nn.Layers;
import studio.nn.NearestUpsample;
import studio.nn.Params;

/**
 * face-vid2vid's KPDetector as SadTalker configures it: anti-aliased 1/4 downsampling, a 2-D
 * encoder (5 down blocks) reshaped into a 3-D volume (1024 → 16384 channels = 1024 × depth 16),
 * a 3-D decoder (5 up blocks), a Conv3d heatmap per keypoint, spatial softmax (temperature 0.1)
 * and the heatmap-weighted mean of the coordinate grid → 15 canonical keypoints.
 */
final class KeypointDetector {
    private static final double BN_EPS = 1e-5;
    private static final int DEPTH = 16;
    private static final float TEMPERATURE = 0.1f;
    private final NDArray antiAliasKernel;
    private final Conv[] down = new Conv[5];
    private final Conv bottleneck;
    private final Conv[] up = new Conv[5];
    private final Conv heatmap;

    KeypointDetector(Params p) {
        antiAliasKernel = p.get("down.weight");
        Params predictor = p.sub("predictor");
        for (int i = 0; i < 5; i++) {
            Params b = predictor.sub("down_blocks.down" + i);
            down[i] = Conv.withBatchNorm(b.sub("conv"), b.sub("norm"), BN_EPS, 1);
        }
        bottleneck = Conv.load(predictor.sub("conv"), 0);
        for (int i = 0; i < 5; i++) {
            Params b = predictor.sub("up_blocks.up" + i);
            up[i] = Conv.withBatchNorm(b.sub("conv"), b.sub("norm"), BN_EPS, 1);
        }
        heatmap = Conv.load(p.sub("kp"), 1);
    }

    /** {@code image}: (B, 3, S, S) in [0, 1] → keypoints (B, 15, 3). */
    NDArray apply(NDArray image) {
        // AntiAliasInterpolation2d(scale 0.25): Gaussian 13 × 13 depthwise blur with zero padding 6,
        // keeping every 4th pixel = the same conv with stride 4.
        NDArray x = Layers.conv(
                image, antiAliasKernel, null, 4, 6, 1, (int) image.getShape().get(1));
        for (Conv c : down) x = Blocks.avgPool2(Blocks.relu(c.apply(x)));
        x = bottleneck.apply(x);
        long b = x.getShape().get(0),
                ch = x.getShape().get(1),
                h = x.getShape().get(2),
                w = x.getShape().get(3);
        x = x.reshape(b, ch / DEPTH, DEPTH, h, w);
        for (Conv c : up) x = Blocks.relu(c.apply(NearestUpsample.scale(x, 2)));
        NDArray prediction = heatmap.apply(x);
        long k = prediction.getShape().get(1);
        long d = prediction.getShape().get(2),
                hh = prediction.getShape().get(3),
                ww = prediction.getShape().get(4);
        NDArray heat = prediction.reshape(b, k, d * hh * ww).div(TEMPERATURE).softmax(2);
        NDArray g = image.getManager()
                .create(Blocks.coordinateGrid((int) d, (int) hh, (int) ww), new Shape(d * hh * ww, 3));
        // Σ heat · grid over the volume = (B, K, V) × (V, 3)
        return heat.matMul(g);
    }
}
