package studio.motion;

/**
 * What shapes the generated motion, with SadTalker's names and defaults.
 *
 * @param poseStyle       0..45, the CVAE's pose style ({@code --pose_style}, default 0)
 * @param blink           random eye blinks ({@code use_blink}, default true)
 * @param expressionScale multiplies the 64 expression coefficients ({@code --expression_scale}, default 1)
 * @param refPose         F' x 70 coefficients of a reference video whose head motion is added
 *                        ({@code --ref_pose}), or null
 * @param refEyeblink     F' x 70 coefficients of a reference video whose expression drives the
 *                        eyes ({@code --ref_eyeblink}), or null
 * @param seed            seed of the random blinks and pose latent draws
 */
public record MotionOptions(
        int poseStyle, boolean blink, double expressionScale, float[] refPose, float[] refEyeblink, long seed) {
    public static MotionOptions defaults() {
        return new MotionOptions(0, true, 1.0, null, null, 0L);
    }

    public MotionOptions withPoseStyle(int style) {
        return new MotionOptions(style, blink, expressionScale, refPose, refEyeblink, seed);
    }

    public MotionOptions withBlink(boolean b) {
        return new MotionOptions(poseStyle, b, expressionScale, refPose, refEyeblink, seed);
    }

    public MotionOptions withExpressionScale(double s) {
        return new MotionOptions(poseStyle, blink, s, refPose, refEyeblink, seed);
    }

    public MotionOptions withRefPose(float[] coeffs) {
        return new MotionOptions(poseStyle, blink, expressionScale, coeffs, refEyeblink, seed);
    }

    public MotionOptions withRefEyeblink(float[] coeffs) {
        return new MotionOptions(poseStyle, blink, expressionScale, refPose, coeffs, seed);
    }

    public MotionOptions withSeed(long s) {
        return new MotionOptions(poseStyle, blink, expressionScale, refPose, refEyeblink, s);
    }
}
