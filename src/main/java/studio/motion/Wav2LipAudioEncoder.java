package studio.motion;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import studio.nn.Conv;
import studio.nn.Params;

/**
 * The Wav2Lip audio encoder both SadTalker motion networks use: thirteen conv + batch-norm + ReLU
 * blocks (some residual) turning one 80 x 16 mel window into a 512-vector. Keys
 * {@code <i>.conv_block.0} (convolution) and {@code <i>.conv_block.1} (batch norm).
 */
final class Wav2LipAudioEncoder {
    /** cin, cout, kernel, strideH, strideW, padding, residual. */
    private static final int[][] BLOCKS = {
        {1, 32, 3, 1, 1, 1, 0},
        {32, 32, 3, 1, 1, 1, 1},
        {32, 32, 3, 1, 1, 1, 1},
        {32, 64, 3, 3, 1, 1, 0},
        {64, 64, 3, 1, 1, 1, 1},
        {64, 64, 3, 1, 1, 1, 1},
        {64, 128, 3, 3, 3, 1, 0},
        {128, 128, 3, 1, 1, 1, 1},
        {128, 128, 3, 1, 1, 1, 1},
        {128, 256, 3, 3, 2, 1, 0},
        {256, 256, 3, 1, 1, 1, 1},
        {256, 512, 3, 1, 1, 0, 0},
        {512, 512, 1, 1, 1, 0, 0},
    };

    private final Conv[] convs = new Conv[BLOCKS.length];

    Wav2LipAudioEncoder(Params w) {
        for (int i = 0; i < BLOCKS.length; i++) {
            int[] b = BLOCKS[i];
            Params block = w.sub(i + ".conv_block");
            convs[i] =
                    Conv.load2d(block.sub("0"), block.sub("1"), b[1], b[0], b[2], b[2], true, b[3], b[4], b[5], b[5]);
        }
    }

    /** N x 1 x 80 x 16 mel windows → N x 512. */
    NDArray forward(NDArray mels) {
        NDArray x = mels;
        for (int i = 0; i < BLOCKS.length; i++) {
            NDArray y = convs[i].apply(x);
            if (BLOCKS[i][6] == 1) y = y.add(x);
            x = Activation.relu(y);
        }
        return x.reshape(x.getShape().get(0), 512);
    }
}
