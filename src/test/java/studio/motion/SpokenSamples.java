package studio.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import studio.audio.AudioFeatures;

/**
 * Real speech for tests, made at test time with espeak-ng and resampled to 16 kHz mono with sox
 * (so nothing large is committed). Test-only: the app decodes audio in {@code studio.audio}.
 */
public final class SpokenSamples {
    public static final String SENTENCES = "The quick brown fox jumps over the lazy dog. "
            + "Please call me back before noon, I have a lot to tell you. Open the window and look at the sea.";

    private SpokenSamples() {}

    /** Speech of {@code text}, as 16 kHz mono samples. */
    public static float[] speak(Path dir, String name, String text) throws IOException, InterruptedException {
        return speak(dir, name, text, "en-us");
    }

    /** Speech of {@code text} in an espeak-ng voice ("en-us", "cmn", "ja"), as 16 kHz mono samples. */
    public static float[] speak(Path dir, String name, String text, String voice)
            throws IOException, InterruptedException {
        Path raw = dir.resolve(name + "-espeak.wav");
        Path wav = dir.resolve(name + ".wav");
        run("espeak-ng", "-v", voice, "-s", "150", "-w", raw.toString(), text);
        run("sox", raw.toString(), "-r", "16000", "-c", "1", "-b", "16", wav.toString());
        return read(wav);
    }

    /** {@code first}, then {@code pauseSeconds} of digital silence, then {@code second}. */
    public static float[] speakWithPause(Path dir, String first, double pauseSeconds, String second)
            throws IOException, InterruptedException {
        float[] a = speak(dir, "part1", first);
        float[] b = speak(dir, "part2", second);
        int gap = (int) Math.round(pauseSeconds * AudioFeatures.SAMPLE_RATE);
        float[] out = new float[a.length + gap + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length + gap, b.length);
        return out;
    }

    /** The features the motion stage sees (whole 25 fps frames; the mel is not used by the built-in engine). */
    public static AudioFeatures features(float[] samples) {
        int frames = samples.length / AudioFeatures.SAMPLES_PER_FRAME;
        float[] cut = Arrays.copyOf(samples, frames * AudioFeatures.SAMPLES_PER_FRAME);
        return new AudioFeatures(cut, frames, new float[AudioFeatures.MEL_BINS], 1);
    }

    static float[] read(Path wav) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            assertEquals(16000f, in.getFormat().getSampleRate());
            byte[] bytes = in.readAllBytes();
            ByteBuffer bb = ByteBuffer.wrap(bytes)
                    .order(in.getFormat().isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[bytes.length / 2];
            for (int i = 0; i < out.length; i++) out[i] = bb.getShort() / 32768f;
            return out;
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(wav + ": " + e.getMessage(), e);
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }

    /** Pearson correlation. */
    /** The speech envelope: RMS of each video frame's 640 samples. */
    public static double[] rms(AudioFeatures a) {
        double[] r = new double[a.numFrames()];
        for (int i = 0; i < r.length; i++) r[i] = a.frameRms(i);
        return r;
    }

    public static double correlation(double[] x, double[] y) {
        int n = Math.min(x.length, y.length);
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
