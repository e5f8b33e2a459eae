package studio.audio;

import java.util.Arrays;

/**
 * The audio as the motion stage sees it: 16 kHz mono samples cut to whole 25 fps frames, and
 * SadTalker's mel spectrogram (T x 80, T = samples / 200 + 1).
 *
 * @param samples   16 kHz mono float PCM, exactly {@code numFrames * 640} samples
 * @param mel       row-major T x 80 normalised log-mel spectrogram
 */
public record AudioFeatures(float[] samples, int numFrames, float[] mel, int melFrames) {
    public static final int SAMPLE_RATE = 16000;
    public static final int FPS = 25;
    public static final int SAMPLES_PER_FRAME = SAMPLE_RATE / FPS;
    public static final int MEL_BINS = 80;
    public static final int MEL_WINDOW = 16;

    /** Features of 16 kHz mono samples: cut to whole frames ({@code floor(n / 640)}), then the mel. */
    public static AudioFeatures of(float[] samples16k) {
        int frames = samples16k.length / SAMPLES_PER_FRAME;
        float[] cut = Arrays.copyOf(samples16k, frames * SAMPLES_PER_FRAME);
        float[] mel = MelSpectrogram.compute(cut);
        return new AudioFeatures(cut, frames, mel, mel.length / MEL_BINS);
    }

    /** Duration of the video in seconds. */
    public double seconds() {
        return numFrames / (double) FPS;
    }

    /**
     * The 80 x 16 mel window of one video frame (row-major, mel bin major), as SadTalker's
     * {@code generate_batch}: start at {@code int(80 * (i - 2) / 25)}, indices clamped to the spectrogram.
     */
    public float[] melWindow(int frame) {
        float[] out = new float[MEL_BINS * MEL_WINDOW];
        int start = (int) ((80.0 * (frame - 2)) / FPS);
        for (int j = 0; j < MEL_WINDOW; j++) {
            int t = Math.min(Math.max(start + j, 0), melFrames - 1);
            for (int b = 0; b < MEL_BINS; b++) out[b * MEL_WINDOW + j] = mel[t * MEL_BINS + b];
        }
        return out;
    }

    /** RMS energy of the samples of one video frame (640 samples). */
    public double frameRms(int frame) {
        double s = 0;
        int off = frame * SAMPLES_PER_FRAME;
        for (int i = 0; i < SAMPLES_PER_FRAME; i++) s += samples[off + i] * samples[off + i];
        return Math.sqrt(s / SAMPLES_PER_FRAME);
    }
}
