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
        double[][] pose = PoseCharacter.forStyle(options.poseStyle()).trajectory(a.level);
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
     * open the lips) and opens less on fricatives; lips anticipate the next frame a little, attack
     * fast (about one frame) and release in about two, so they neither lag the sound nor flutter;
     * silence brings the gap to exactly zero.
     */
    static double[] mouthOpening(LandmarkMotionAudio a, double scale) {
        int n = a.level.length;
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            double vowel = 0.55 + 0.45 * (1 - a.hissShare[i]) * (0.5 + a.lowShare[i]);
            target[i] = Math.pow(a.level[i], 0.8) * Math.min(1.0, vowel);
        }
        double[] out = new double[n];
        double y = 0;
        for (int i = 0; i < n; i++) {
            double t = Math.max(target[i], i + 1 < n ? 0.5 * target[i + 1] : 0);
            y += (t - y) * (t > y ? 0.8 : 0.5);
            if (t == 0 && y < 0.03) y = 0;
            out[i] = y;
        }
        for (int i = 0; i < n; i++) out[i] = out[i] * MAX_OPEN * scale;
        return out;
    }

    /** Width change and rounding: front vowels spread the lips, low-centroid voiced sounds round them. */
    static double[][] mouthShape(LandmarkMotionAudio a, double[] open, double scale) {
        int n = a.level.length;
        double[] width = new double[n];
        double[] round = new double[n];
        double w = 0, r = 0;
        for (int i = 0; i < n; i++) {
            double voiced = Math.min(1, a.level[i] * 2);
            double spread = Math.min(1, Math.max(0, (a.frontShare[i] - 0.08) / 0.25)) * voiced;
            double rounding = Math.min(1, Math.max(0, (0.30 - a.centroid[i]) / 0.18)) * voiced * (1 - a.hissShare[i]);
            w += (0.09 * spread - 0.12 * rounding - 0.1 * open[i] - w) * 0.5;
            r += (rounding - r) * 0.5;
            width[i] = w * scale;
            round[i] = Math.min(1, r * scale);
        }
        return new double[][] {width, round};
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
     * One pose style's motion character, drawn from a generator seeded by the style: amplitudes and
     * tempo of yaw, pitch and roll (each a sum of three slow sinusoids), how strongly speech drives
     * the motion, and how much the head nods on stressed syllables.
     */
    record PoseCharacter(
            double[] amp,
            double[][] freq,
            double[][] phase,
            double[][] weight,
            double speechCoupling,
            double nod,
            double shift) {

        static PoseCharacter forStyle(int style) {
            SplittableRandom rnd = new SplittableRandom(0x9E3779B97F4A7C15L * (style + 1) + 0x70DEL);
            double[] amp = {2.5 + 6.5 * rnd.nextDouble(), 1.5 + 4.0 * rnd.nextDouble(), 0.8 + 3.2 * rnd.nextDouble()};
            double tempo = 0.12 + 0.38 * rnd.nextDouble(); // Hz
            double[][] freq = new double[3][3], phase = new double[3][3], weight = new double[3][3];
            for (int axis = 0; axis < 3; axis++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    freq[axis][k] = tempo * (0.5 + 1.7 * rnd.nextDouble()) * (k + 1) / 2.0;
                    phase[axis][k] = 2 * Math.PI * rnd.nextDouble();
                    weight[axis][k] = 0.2 + rnd.nextDouble();
                    sum += weight[axis][k];
                }
                for (int k = 0; k < 3; k++) weight[axis][k] /= sum;
            }
            double coupling = 0.3 + 0.6 * rnd.nextDouble();
            double nod = 0.5 + 2.5 * rnd.nextDouble();
            double shift = 0.01 + 0.04 * rnd.nextDouble();
            return new PoseCharacter(amp, freq, phase, weight, coupling, nod, shift);
        }

        /** yaw, pitch, roll (degrees), tx, ty (IOD) per frame, starting from the photographed pose. */
        double[][] trajectory(double[] level) {
            int n = level.length;
            double[][] out = new double[5][n];
            double energy = 0, fast = 0, nodState = 0;
            for (int i = 0; i < n; i++) {
                double t = i / (double) AudioFeatures.FPS;
                energy += (level[i] - energy) * 0.08; // ~0.5 s: phrase energy
                fast += (level[i] - fast) * 0.45;
                double drive = (1 - speechCoupling) + speechCoupling * Math.min(1.6, 1.6 * energy);
                double onset = Math.max(0, fast - energy - 0.15);
                nodState += (onset - nodState) * 0.3;
                double ramp = smoothstep(Math.min(1, t / 0.6)); // begin at the photographed pose
                for (int axis = 0; axis < 3; axis++) {
                    double s = 0;
                    for (int k = 0; k < 3; k++) {
                        s += weight[axis][k]
                                * (Math.sin(2 * Math.PI * freq[axis][k] * t + phase[axis][k])
                                        - Math.sin(phase[axis][k]));
                    }
                    out[axis][i] = ramp * amp[axis] * drive * s;
                }
                out[1][i] += nod * nodState * 2;
                out[3][i] = shift * out[0][i] / Math.max(1, amp[0]);
                out[4][i] = shift * 0.5 * out[1][i] / Math.max(1, amp[1]);
            }
            return out;
        }

        private static double smoothstep(double x) {
            return x * x * (3 - 2 * x);
        }
    }
}
