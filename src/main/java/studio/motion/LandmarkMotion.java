package studio.motion;

/**
 * The built-in engine's motion for one 25 fps frame, relative to the portrait as photographed.
 * Lengths are in inter-ocular distances (IOD, the distance between the eye centres), so the same
 * motion fits a portrait of any size.
 *
 * @param mouthOpen  gap between the inner lips, in IOD (0 = closed; about 0.35 for a wide "a")
 * @param mouthWidth relative change of the mouth's width (+0.08 = 8 % wider, "ee"; negative = narrower)
 * @param mouthRound lip rounding / protrusion 0..1 ("oo", "w")
 * @param blink      eyelid closure 0..1, SadTalker's blink ratio (1 = closed)
 * @param browRaise  eyebrow lift in IOD (emphasis)
 * @param yaw        head turn in degrees (positive: the face turns towards image right)
 * @param pitch      head nod in degrees (positive: chin down)
 * @param roll       head tilt in degrees (positive: clockwise in the image)
 * @param tx         head shift to the right, in IOD
 * @param ty         head shift downwards, in IOD
 */
public record LandmarkMotion(
        double mouthOpen,
        double mouthWidth,
        double mouthRound,
        double blink,
        double browRaise,
        double yaw,
        double pitch,
        double roll,
        double tx,
        double ty) {

    /** The portrait unchanged: mouth closed, eyes open, head as photographed. */
    public static final LandmarkMotion REST = new LandmarkMotion(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
