package studio.motion;

import java.util.Arrays;
import java.util.SplittableRandom;
import studio.audio.AudioFeatures;

/**
 * Plans the built-in engine's motion for a whole clip (ten numbers per frame, so holding all of
 * them is cheap), shaped like SadTalker's coefficients: lips from the audio, random blinks with
 * SadTalker's timing, and a head pose whose character comes from the pose style.
 *
 * <p>Written by hand: this is the rule-based stand-in for SadTalker's audio-to-coefficient
 * networks, which no library provides.
 */
public final class LandmarkMotionPlanner {
    /** Inner-lip gap of a fully open, loud vowel, in IOD. */
    static final double MAX_OPEN = 0.36;
    /** In still mode the pose keeps this fraction of its motion, capped below. */
    private static final double STILL_FACTOR = 0.05;

    static final double STILL_MAX_DEGREES = 0.5;

    private LandmarkMotionPlanner() {}

    public static LandmarkMotion[] plan(AudioFeatures audio, LandmarkMotionOptions options) {
        int n = audio.numFrames();
        LandmarkMotionAudio a = LandmarkMotionAudio.analyse(audio);
        double scale = options.expressionScale();

        double[] open = mouthOpening(a, scale);
        double[][] shape = mouthShape(a, open, scale);
        double[] blink = options.blink() ? BlinkSchedule.sadTalker(n, blinkSeed(n)) : new double[n];
        double[] brow = browRaise(a, scale);
        double[][] pose = PoseCharacter.forStyle(options.poseStyle()).trajectory(a);
        if (options.still()) freeze(pose);

        LandmarkMotion[] out = new LandmarkMotion[n];
        for (int i = 0; i < n; i++) {
            out[i] = new LandmarkMotion(
                    open[i],
                    shape[0][i],
                    shape[1][i],
                    blink[i],
                    brow[i],
                    pose[0][i],
                    pose[1][i],
                    pose[2][i],
                    pose[3][i],
                    pose[4][i]);
        }
        return out;
    }

    /**
     * Inner-lip gap per frame. The target follows loudness (compressed, so quiet syllables still
     * open the lips) scaled by the jaw opening F1 implies (an "a" opens wide, an "i" or "u" little);
     * lips anticipate the next frame a little, attack fast (about one frame) and release in about
     * two, so they neither lag the sound nor flutter; a lip closure (p, b, m) or silence shuts them
     * at once, to exactly zero.
     */
    static double[] mouthOpening(LandmarkMotionAudio a, double scale) {
        int n = a.level.length;
        double[] jaw = fillGaps(a.f1, 0.5 * (F1_CLOSED + F1_OPEN));
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            double opening = clamp01((jaw[i] - F1_CLOSED) / (F1_OPEN - F1_CLOSED));
            double fricative = 1 - 0.45 * a.hissShare[i];
            target[i] = Math.pow(a.level[i], 0.8) * (0.3 + 0.7 * opening) * fricative;
            if (a.closure[i] >= 0.5) target[i] = 0;
        }
        double[] out = new double[n];
        double y = 0;
        for (int i = 0; i < n; i++) {
            double t = target[i] == 0 ? 0 : Math.max(target[i], i + 1 < n ? 0.5 * target[i + 1] : 0);
            y += (t - y) * (t > y ? 0.8 : 0.5);
            if (t == 0 && (a.closure[i] >= 0.5 || y < 0.03)) y = 0;
            out[i] = y;
        }
        for (int i = 0; i < n; i++) out[i] = out[i] * MAX_OPEN * scale;
        return out;
    }

    /**
     * Width change and rounding from F2: a low second formant is a rounded vowel ("o", "u", "w"),
     * a high one a spread vowel ("i", "e"); an open jaw (high F1) rounds less. Consonants take the
     * shape of the vowels around them, and the shape is smoothed forwards and backwards over about
     * 80 ms, so the lips round before an "o" as they do in speech (coarticulation). The speaker's
     * own F2 range is allowed for by a mild normalisation to the clip's median.
     */
    static double[][] mouthShape(LandmarkMotionAudio a, double[] open, double scale) {
        int n = a.level.length;
        double median = medianOf(a.f2, 1500);
        double norm = Math.pow(1500 / Math.max(900, Math.min(2300, median)), 0.3);
        double[] f2 = fillGaps(a.f2, median);
        double[] f1 = fillGaps(a.f1, 0.5 * (F1_CLOSED + F1_OPEN));
        double[] width = new double[n], round = new double[n];
        for (int i = 0; i < n; i++) {
            double voiced = Math.min(1, a.level[i] * 3);
            double f = f2[i] * norm;
            double jaw = clamp01((f1[i] - F1_CLOSED) / (F1_OPEN - F1_CLOSED));
            double spread = clamp01((f - 1700) / 500);
            double rounding = clamp01((1750 - f) / 500) * (1 - 0.6 * jaw);
            round[i] = rounding * voiced;
            width[i] = (0.10 * spread - 0.30 * rounding) * voiced - 0.1 * open[i];
        }
        smoothBothWays(width, 0.45);
        smoothBothWays(round, 0.45);
        for (int i = 0; i < n; i++) {
            width[i] *= scale;
            round[i] = Math.min(1, round[i] * scale);
        }
        return new double[][] {width, round};
    }

    /** F1 of a closed ("i", "u") and of a wide open vowel ("a"), Hz. */
    private static final double F1_CLOSED = 280, F1_OPEN = 720;

    /** {@code v} with its NaN runs filled by linear interpolation between their neighbours ({@code none} if all NaN). */
    static double[] fillGaps(double[] v, double none) {
        int n = v.length;
        double[] out = new double[n];
        int prev = -1;
        for (int i = 0; i <= n; i++) {
            if (i < n && Double.isNaN(v[i])) continue;
            double left = prev >= 0 ? v[prev] : i < n ? v[i] : none;
            double right = i < n ? v[i] : left;
            for (int k = prev + 1; k < i; k++) {
                double t = (k - prev) / (double) (i - prev);
                out[k] = left + t * (right - left);
            }
            if (i < n) out[i] = v[i];
            prev = i;
        }
        return out;
    }

    private static double medianOf(double[] v, double none) {
        double[] ok = Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray();
        return ok.length == 0 ? none : LandmarkMotionAudio.percentile(ok, 0.5);
    }

    /** Zero-phase exponential smoothing (forwards then backwards) with coefficient {@code k}. */
    private static void smoothBothWays(double[] v, double k) {
        for (int i = 1; i < v.length; i++) v[i] += (v[i - 1] - v[i]) * (1 - k);
        for (int i = v.length - 2; i >= 0; i--) v[i] += (v[i + 1] - v[i]) * (1 - k);
    }

    private static double clamp01(double x) {
        return Math.max(0, Math.min(1, x));
    }

    /** Brows lift briefly on stressed onsets: fast loudness above its slow average. */
    static double[] browRaise(LandmarkMotionAudio a, double scale) {
        int n = a.level.length;
        double[] out = new double[n];
        double fast = 0, slow = 0, b = 0;
        for (int i = 0; i < n; i++) {
            fast += (a.level[i] - fast) * 0.5;
            slow += (a.level[i] - slow) * 0.06;
            double target = Math.max(0, fast - slow - 0.25) * 0.08;
            b += (target - b) * (target > b ? 0.4 : 0.12);
            out[i] = Math.min(0.06, b) * scale;
        }
        return out;
    }

    static long blinkSeed(int numFrames) {
        return 0x5AD7A1CEB11CL ^ numFrames;
    }

    private static void freeze(double[][] pose) {
        for (int axis = 0; axis < 3; axis++) {
            for (int i = 0; i < pose[axis].length; i++) {
                double v = pose[axis][i] * STILL_FACTOR;
                pose[axis][i] = Math.max(-STILL_MAX_DEGREES, Math.min(STILL_MAX_DEGREES, v));
            }
        }
        for (int axis = 3; axis < 5; axis++) Arrays.fill(pose[axis], 0);
    }

    /**
     * One pose style's motion character, drawn from a generator seeded by the style: how far the
     * head turns, nods and tilts, how quickly it drifts, how strongly the voice drives it (loudness
     * and pitch accents), how much it nods on stressed syllables and rises with the pitch, and how
     * it settles in pauses. The drift is smoothed random noise from the same seed, so it never
     * repeats periodically and a style always moves the same way for the same audio.
     */
    record PoseCharacter(
            double[] amp, double tau, double speechCoupling, double nod, double pitchFollow, double shift, long seed) {

        static PoseCharacter forStyle(int style) {
            SplittableRandom rnd = new SplittableRandom(0x9E3779B97F4A7C15L * (style + 1) + 0x70DEL);
            // Standard deviations in degrees: yaw 2.6-4.6 (a range of about 9-18 degrees), pitch, roll.
            double[] amp = {2.6 + 2.0 * rnd.nextDouble(), 1.2 + 1.8 * rnd.nextDouble(), 0.6 + 1.4 * rnd.nextDouble()};
            double tau = 0.35 + 0.9 * rnd.nextDouble(); // seconds: the drift's time scale
            double coupling = 0.3 + 0.6 * rnd.nextDouble();
            double nod = 0.8 + 2.2 * rnd.nextDouble();
            double pitchFollow = 0.5 + 1.5 * rnd.nextDouble();
            double shift = 0.01 + 0.04 * rnd.nextDouble();
            return new PoseCharacter(amp, tau, coupling, nod, pitchFollow, shift, rnd.nextLong());
        }

        /** yaw, pitch, roll (degrees), tx, ty (IOD) per frame, starting from the photographed pose. */
        double[][] trajectory(LandmarkMotionAudio a) {
            double[] level = a.level;
            int n = level.length;
            double[][] out = new double[5][n];
            // Drift: white noise through two critically damped low-pass stages, per axis,
            // normalised to unit deviation over the clip so a style's range does not depend on luck.
            SplittableRandom rnd = new SplittableRandom(seed);
            double k = 1 - Math.exp(-1.0 / (tau * AudioFeatures.FPS));
            double[][] drift = new double[3][n];
            for (int axis = 0; axis < 3; axis++) {
                double s1 = 0, s2 = 0;
                for (int i = -2 * AudioFeatures.FPS; i < n; i++) { // run in before the clip starts
                    s1 += (rnd.nextGaussian() - s1) * k;
                    s2 += (s1 - s2) * k;
                    if (i >= 0) drift[axis][i] = s2;
                }
                normalise(drift[axis]);
            }
            // Prosody: pitch accents in semitones above the clip's median pitch raise the chin.
            double[] f0 = fillGaps(a.f0, Double.NaN);
            double median = medianOf(a.f0, 120);
            double energy = 0, fast = 0, nodState = 0, accent = 0, speaking = 0;
            for (int i = 0; i < n; i++) {
                double t = i / (double) AudioFeatures.FPS;
                energy += (level[i] - energy) * 0.08; // ~0.5 s: phrase energy
                fast += (level[i] - fast) * 0.45;
                speaking += ((level[i] > 0.05 ? 1 : 0) - speaking) * 0.04; // settles over ~1 s of pause
                double drive =
                        (1 - speechCoupling) * (0.5 + 0.5 * speaking) + speechCoupling * Math.min(1.6, 1.6 * energy);
                double onset = Math.max(0, fast - energy - 0.15);
                nodState += (onset - nodState) * 0.3;
                double semis = Double.isNaN(f0[i]) || level[i] < 0.05 ? 0 : 12 * Math.log(f0[i] / median) / Math.log(2);
                accent += (Math.max(-3, Math.min(4, semis)) - accent) * 0.15;
                double ramp = smoothstep(Math.min(1, t / 0.6)); // begin at the photographed pose
                for (int axis = 0; axis < 3; axis++) out[axis][i] = ramp * amp[axis] * drive * drift[axis][i];
                out[1][i] += ramp * (nod * nodState * 2 - pitchFollow * 0.5 * accent);
                out[3][i] = shift * out[0][i] / Math.max(1, amp[0]);
                out[4][i] = shift * 0.5 * out[1][i] / Math.max(1, amp[1]);
            }
            // start exactly at the photographed pose
            for (int axis = 0; axis < 5; axis++) out[axis][0] = 0;
            return out;
        }

        private static void normalise(double[] v) {
            double mean = 0, var = 0;
            for (double x : v) mean += x / v.length;
            for (double x : v) var += (x - mean) * (x - mean) / v.length;
            double sd = Math.sqrt(var);
            for (int i = 0; i < v.length; i++) v[i] = sd > 1e-9 ? (v[i] - mean) / sd : 0;
        }

        private static double smoothstep(double x) {
            return x * x * (3 - 2 * x);
        }
    }
}
