package studio.motion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import studio.nn.Conv;
import studio.nn.FoldedBatchNorm;
import studio.nn.Params;
import studio.nn.TransposedConv;

/**
 * The residual U-Net of SadTalker's pose CVAE (audio2pose_models/res_unet.py): one input channel,
 * filters 32/64/128/256, down-sampling along time only (stride (2, 1)), sigmoid output.
 */
final class ResUnet {
    /** Pre-activation residual block: BN, ReLU, conv, BN, ReLU, conv, plus a conv + BN skip. */
    private static final class ResidualConv {
        final FoldedBatchNorm bn0;
        final Conv conv2; // conv_block.2 folded with conv_block.3
        final Conv conv5;
        final Conv skip;

        ResidualConv(Params w, int in, int out, int strideH) {
            Params block = w.sub("conv_block");
            bn0 = FoldedBatchNorm.load(block.sub("0"), in, 1e-5);
            conv2 = Conv.load2d(block.sub("2"), block.sub("3"), out, in, 3, 3, true, strideH, 1, 1, 1);
            conv5 = Conv.load2d(block.sub("5"), null, out, out, 3, 3, true, 1, 1, 1, 1);
            skip = Conv.load2d(
                    w.sub("conv_skip").sub("0"), w.sub("conv_skip").sub("1"), out, in, 3, 3, true, strideH, 1, 1, 1);
        }

        NDArray forward(NDArray x) {
            NDArray h = conv2.apply(Activation.relu(bn0.apply(x)));
            h = conv5.apply(Activation.relu(h));
            return h.add(skip.apply(x));
        }
    }

    private record Upsample(NDArray weight, NDArray bias) {
        static Upsample load(Params w, int channels) {
            return new Upsample(w.get("upsample.weight", channels, channels, 2, 1), w.get("upsample.bias", channels));
        }

        NDArray forward(NDArray x) {
            return TransposedConv.blockUpsample(x, weight, bias);
        }
    }

    private final Conv input0; // input_layer.0 + input_layer.1 (BN folded)
    private final Conv input3;
    private final Conv inputSkip;
    private final ResidualConv res1, res2, bridge, up1, up2, up3;
    private final Upsample upsample1, upsample2, upsample3;
    private final Conv output;

    ResUnet(Params w) {
        input0 = Conv.load2d(w.sub("input_layer.0"), w.sub("input_layer.1"), 32, 1, 3, true, 1, 1);
        input3 = Conv.load2d(w.sub("input_layer.3"), null, 32, 32, 3, true, 1, 1);
        inputSkip = Conv.load2d(w.sub("input_skip.0"), null, 32, 1, 3, true, 1, 1);
        res1 = new ResidualConv(w.sub("residual_conv_1"), 32, 64, 2);
        res2 = new ResidualConv(w.sub("residual_conv_2"), 64, 128, 2);
        bridge = new ResidualConv(w.sub("bridge"), 128, 256, 2);
        upsample1 = Upsample.load(w.sub("upsample_1"), 256);
        up1 = new ResidualConv(w.sub("up_residual_conv1"), 256 + 128, 128, 1);
        upsample2 = Upsample.load(w.sub("upsample_2"), 128);
        up2 = new ResidualConv(w.sub("up_residual_conv2"), 128 + 64, 64, 1);
        upsample3 = Upsample.load(w.sub("upsample_3"), 64);
        up3 = new ResidualConv(w.sub("up_residual_conv3"), 64 + 32, 32, 1);
        output = Conv.load2d(w.sub("output_layer.0"), null, 1, 32, 1, true, 1, 0);
    }

    /** N x 1 x T x 6 (T divisible by 8) → N x 1 x T x 6 in (0, 1). */
    NDArray forward(NDArray x) {
        NDArray x1 = input3.apply(Activation.relu(input0.apply(x))).add(inputSkip.apply(x));
        NDArray x2 = res1.forward(x1);
        NDArray x3 = res2.forward(x2);
        NDArray x4 = bridge.forward(x3);
        NDArray x6 = up1.forward(cat(upsample1.forward(x4), x3));
        NDArray x8 = up2.forward(cat(upsample2.forward(x6), x2));
        NDArray x10 = up3.forward(cat(upsample3.forward(x8), x1));
        return Activation.sigmoid(output.apply(x10));
    }

    private static NDArray cat(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b), 1);
    }
}
