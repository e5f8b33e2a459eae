package studio.motion;

/**
 * What shapes the built-in engine's planned motion, with SadTalker's names and defaults (the
 * rule-based counterpart of {@link MotionOptions}).
 *
 * @param poseStyle       0..45: a seeded motion character ({@code --pose_style})
 * @param still           keep the head nearly still ({@code --still})
 * @param expressionScale strength of lips and brows ({@code --expression_scale})
 * @param blink           random eye blinks with SadTalker's timing
 */
public record LandmarkMotionOptions(int poseStyle, boolean still, double expressionScale, boolean blink) {
    public static LandmarkMotionOptions defaults() {
        return new LandmarkMotionOptions(0, false, 1.0, true);
    }
}
