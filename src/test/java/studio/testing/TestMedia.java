package studio.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;
import org.junit.jupiter.api.Assumptions;
import studio.audio.AudioLoader;

/** Real test media: speech from espeak-ng, re-encoded to other formats with FFmpeg. */
public final class TestMedia {
    private TestMedia() {}

    /** Speaks {@code text} into a wav file with espeak-ng (22.05 kHz mono); skipped where it is not installed outside CI. */
    public static Path speech(Path dir, String name, String text) {
        Path out = dir.resolve(name + ".wav");
        try {
            Process p = new ProcessBuilder("espeak-ng", "-v", "en-us", "-s", "150", "-w", out.toString(), text)
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            assertEquals(0, p.exitValue(), "espeak-ng failed");
        } catch (IOException e) {
            Assumptions.assumeTrue(System.getenv("CI") != null, "espeak-ng not installed");
            throw new AssertionError("espeak-ng is required in CI", e);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    /** Re-encodes audio (e.g. to mp3, or stereo 44.1 kHz wav) with FFmpeg. */
    public static Path convert(Path in, Path out, int sampleRate, int channels, int codec) {
        float[] samples = AudioLoader.decode(in, sampleRate, channels);
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), channels)) {
            r.setSampleRate(sampleRate);
            r.setAudioCodec(codec);
            if (codec == avcodec.AV_CODEC_ID_MP3) r.setAudioBitrate(128_000);
            r.start();
            r.recordSamples(sampleRate, channels, FloatBuffer.wrap(samples));
            r.stop();
        } catch (FrameRecorder.Exception e) {
            throw new AssertionError("cannot write " + out, e);
        }
        return out;
    }

    /** Concatenates clips with {@code silenceSeconds} of silence between them, as a 16 kHz mono wav. */
    public static Path withPause(Path first, double silenceSeconds, Path second, Path out) {
        float[] a = AudioLoader.decode(first, 16000, 1), b = AudioLoader.decode(second, 16000, 1);
        int gap = (int) (silenceSeconds * 16000);
        float[] all = new float[a.length + gap + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length + gap, b.length);
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), 1)) {
            r.setSampleRate(16000);
            r.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
            r.start();
            r.recordSamples(16000, 1, FloatBuffer.wrap(all));
            r.stop();
        } catch (FrameRecorder.Exception e) {
            throw new AssertionError("cannot write " + out, e);
        }
        return out;
    }

    /**
     * A 16-bit mono PCM WAV with {@code declaredRate} in its header, written by hand so the header
     * can lie (a hostile-input case); samples are clipped to [-1, 1].
     */
    public static Path pcmWav(Path file, float[] samples, int declaredRate) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * samples.length);
        b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1);
        b.putInt(declaredRate).putInt(declaredRate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples.length);
        for (float v : samples) b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
        return Files.write(file, b.array());
    }

    /** The first {@code seconds} of the bundled speech (samples/speech.wav), as a 16 kHz mono WAV. */
    public static Path sampleSpeech(Path file, double seconds) throws IOException {
        float[] all = AudioLoader.decode(Path.of("samples/speech.wav"), 16000, 1);
        return pcmWav(file, Arrays.copyOf(all, (int) Math.min(all.length, seconds * 16000)), 16000);
    }

    /** The bundled speech said {@code times} over (7 s each), as a 16 kHz mono WAV: a render that runs for a while. */
    public static Path sampleSpeechRepeated(Path file, int times) throws IOException {
        float[] once = AudioLoader.decode(Path.of("samples/speech.wav"), 16000, 1);
        float[] all = new float[once.length * times];
        for (int i = 0; i < times; i++) System.arraycopy(once, 0, all, i * once.length, once.length);
        return pcmWav(file, all, 16000);
    }
}
