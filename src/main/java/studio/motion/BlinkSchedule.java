package studio.motion;

import java.util.SplittableRandom;

/**
 * SadTalker's {@code generate_blink_seq_randomly}, shared by the neural and built-in engines: from
 * each blink's end, wait a random 10..min(n/2, 70)-1 frames, then close and open over 5 frames
 * (0.5 0.9 1 0.9 0.5); none for clips of 20 frames or less. Seeded, so a clip always blinks at the
 * same frames.
 */
public final class BlinkSchedule {
    private static final double[] SHAPE = {0.5, 0.9, 1.0, 0.9, 0.5};

    private BlinkSchedule() {}

    /** Per-frame eye-closure ratio (0 open, 1 closed). */
    public static double[] sadTalker(int frames, long seed) {
        double[] ratio = new double[frames];
        if (frames <= 20) return ratio;
        SplittableRandom random = new SplittableRandom(seed);
        int lo = Math.min(10, frames), hi = Math.min(frames / 2, 70);
        int frame = 0;
        while (frame < frames) {
            int start = lo + random.nextInt(Math.max(1, hi - lo));
            if (frame + start + 5 > frames - 1) break;
            System.arraycopy(SHAPE, 0, ratio, frame + start, 5);
            frame += start + 5;
        }
        return ratio;
    }

    /** The same as float32, as the neural networks take it. */
    public static float[] sadTalkerFloat(int frames, long seed) {
        double[] d = sadTalker(frames, seed);
        float[] f = new float[frames];
        for (int i = 0; i < frames; i++) f[i] = (float) d[i];
        return f;
    }
}
