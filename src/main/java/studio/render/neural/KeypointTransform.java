package studio.render.neural;

/**
 * SadTalker's keypoint_transformation (make_animation.py): canonical 3-D keypoints rotated by the
 * head pose, shifted by the translation (only its y component: the reference zeroes x and z) and
 * displaced by the expression deltas. Pose angles are the softmax expectation over 66 bins,
 * degree = 3 · E[bin] − 99, unless an explicit angle overrides them. Tiny (15 × 3), so plain Java.
 */
public final class KeypointTransform {
    private KeypointTransform() {}

    /** softmax expectation over the bins: 3 · Σ p_i · i − 99 degrees. */
    public static double degrees(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0, weighted = 0;
        for (int i = 0; i < logits.length; i++) {
            double e = Math.exp(logits[i] - max);
            sum += e;
            weighted += e * i;
        }
        return weighted / sum * 3 - 99;
    }

    /**
     * Rotation matrix, row-major 3 × 3: pitch (about x) · yaw (about y) · roll (about z), with the
     * reference's degree-to-radian factor 3.14 / 180 (not π).
     */
    public static double[] rotation(double yawDeg, double pitchDeg, double rollDeg) {
        double yaw = yawDeg / 180 * 3.14, pitch = pitchDeg / 180 * 3.14, roll = rollDeg / 180 * 3.14;
        double[] p = {1, 0, 0, 0, Math.cos(pitch), -Math.sin(pitch), 0, Math.sin(pitch), Math.cos(pitch)};
        double[] y = {Math.cos(yaw), 0, Math.sin(yaw), 0, 1, 0, -Math.sin(yaw), 0, Math.cos(yaw)};
        double[] r = {Math.cos(roll), -Math.sin(roll), 0, Math.sin(roll), Math.cos(roll), 0, 0, 0, 1};
        return mul(mul(p, y), r);
    }

    /**
     * Transformed keypoints (15 × 3, row-major) of one sample. {@code yawIn}, {@code pitchIn},
     * {@code rollIn}: override angles in degrees, or NaN to use the predicted ones.
     */
    public static float[] apply(float[] canonical, HeadMotion he, double yawIn, double pitchIn, double rollIn) {
        double yaw = Double.isNaN(yawIn) ? degrees(he.yaw()) : yawIn;
        double pitch = Double.isNaN(pitchIn) ? degrees(he.pitch()) : pitchIn;
        double roll = Double.isNaN(rollIn) ? degrees(he.roll()) : rollIn;
        double[] rot = rotation(yaw, pitch, roll);
        int k = canonical.length / 3;
        float[] out = new float[k * 3];
        double ty = he.t()[1];
        for (int i = 0; i < k; i++) {
            for (int m = 0; m < 3; m++) {
                double v = 0;
                for (int p = 0; p < 3; p++) v += rot[m * 3 + p] * canonical[i * 3 + p];
                if (m == 1) v += ty;
                v += he.exp()[i * 3 + m];
                out[i * 3 + m] = (float) v;
            }
        }
        return out;
    }

    public static float[] apply(float[] canonical, HeadMotion he) {
        return apply(canonical, he, Double.NaN, Double.NaN, Double.NaN);
    }

    private static double[] mul(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) s += a[i * 3 + k] * b[k * 3 + j];
                c[i * 3 + j] = s;
            }
        return c;
    }
}
