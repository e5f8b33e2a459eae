package studio.render.neural;

import java.util.Arrays;

/**
 * The mapping network's output for a batch: head-pose logits over 66 bins of 3 degrees (yaw,
 * pitch, roll), translation (3) and expression deltas of the 15 keypoints (45), row-major per sample.
 */
public record HeadMotion(int batch, float[] yaw, float[] pitch, float[] roll, float[] t, float[] exp) {
    public static final int BINS = 66;
    public static final int KEYPOINTS = 15;

    /** One sample of the batch. */
    public HeadMotion sample(int b) {
        return new HeadMotion(
                1,
                slice(yaw, b, BINS),
                slice(pitch, b, BINS),
                slice(roll, b, BINS),
                slice(t, b, 3),
                slice(exp, b, 3 * KEYPOINTS));
    }

    private static float[] slice(float[] a, int b, int n) {
        return Arrays.copyOfRange(a, b * n, (b + 1) * n);
    }
}
