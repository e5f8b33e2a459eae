package studio.audio;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import studio.job.InputException;
import studio.media.FFmpeg;

/** Decodes any audio FFmpeg reads (wav, mp3, m4a, ogg, flac; any rate, any channels). */
public final class AudioLoader {
    /** Source sample rates accepted: telephone speech to studio masters; a header outside is a lie or a bomb. */
    public static final int MIN_SAMPLE_RATE = 8_000, MAX_SAMPLE_RATE = 384_000;

    /** The longest clip a job takes (one hour): the features of the whole clip are held in memory. */
    public static final int MAX_SECONDS = 3600;

    private AudioLoader() {}

    /** The audio's features for the motion stage: 16 kHz mono, cut to whole 25 fps frames. */
    public static AudioFeatures load(Path file) {
        return AudioFeatures.of(decode(file, AudioFeatures.SAMPLE_RATE, 1));
    }

    /** Interleaved float samples at the given rate and channel count (FFmpeg resamples and mixes). */
    public static float[] decode(Path file, int sampleRate, int channels) {
        try (FFmpegFrameGrabber g = open(file, sampleRate, channels)) {
            float[] out = new float[1 << 16];
            int n = 0;
            long max = (long) MAX_SECONDS * sampleRate * channels;
            Frame f;
            while ((f = g.grabSamples()) != null) {
                if (f.samples == null) continue;
                FloatBuffer b = (FloatBuffer) f.samples[0];
                int r = b.remaining();
                if (n + r > max)
                    throw new InputException(
                            file, "the audio is longer than the " + MAX_SECONDS / 60 + "-minute limit (split it)");
                if (n + r > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, n + r));
                b.get(out, n, r);
                n += r;
            }
            if (n < AudioFeatures.SAMPLES_PER_FRAME * channels * sampleRate / AudioFeatures.SAMPLE_RATE)
                throw new InputException(
                        file,
                        n == 0
                                ? "the audio is empty (no samples)"
                                : "the audio is too short (less than one video frame, 40 ms)");
            return Arrays.copyOf(out, n);
        } catch (FrameGrabber.Exception e) {
            throw new InputException(file, "unreadable audio (" + firstLine(e) + ")");
        }
    }

    /** An open grabber delivering interleaved float samples; throws InputException for bad files. */
    public static FFmpegFrameGrabber open(Path file, int sampleRate, int channels) {
        if (!Files.exists(file)) throw new InputException(file, "file not found");
        if (!Files.isRegularFile(file))
            throw new InputException(file, "is not a regular file (a folder, device or pipe)");
        try {
            if (Files.size(file) == 0) throw new InputException(file, "the audio file is empty (0 bytes)");
        } catch (IOException e) {
            throw new InputException(file, "cannot read (" + e.getMessage() + ")");
        }
        FFmpegFrameGrabber g = FFmpeg.grabber(file);
        g.setSampleMode(FrameGrabber.SampleMode.FLOAT);
        g.setSampleRate(sampleRate);
        g.setAudioChannels(channels);
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            closeQuietly(g);
            throw new InputException(file, "unreadable audio: not a sound file FFmpeg can decode");
        }
        if (g.getAudioStream() < 0 || g.getAudioChannels() == 0) {
            closeQuietly(g);
            throw new InputException(file, "no audio track");
        }
        // The rate the file declares, not the one asked for: a 300 KB WAV claiming 1 Hz would
        // otherwise resample into hours of audio and gigabytes of memory.
        int declared =
                g.getFormatContext().streams(g.getAudioStream()).codecpar().sample_rate();
        if (declared < MIN_SAMPLE_RATE || declared > MAX_SAMPLE_RATE) {
            closeQuietly(g);
            throw new InputException(
                    file,
                    String.format(
                            "declares a sample rate of %,d Hz, outside the %,d–%,d Hz this app reads",
                            declared, MIN_SAMPLE_RATE, MAX_SAMPLE_RATE));
        }
        return g;
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.close();
        } catch (Exception ignored) {
            // already failing with a clearer message
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
