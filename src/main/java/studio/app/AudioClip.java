package studio.app;

import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.SourceDataLine;
import studio.audio.AudioLoader;

/** An input voice clip decoded once for the inputs area: waveform, duration, listening. */
public final class AudioClip {
    public static final int RATE = 16000;
    private final Path file;
    private final float[] samples;
    private volatile Thread player;

    private AudioClip(Path file, float[] samples) {
        this.file = file;
        this.samples = samples;
    }

    /** Decodes any audio FFmpeg reads; throws StudioException (plain words) for bad files. */
    public static AudioClip load(Path file) {
        return new AudioClip(file, AudioLoader.decode(file, RATE, 1));
    }

    public Path file() {
        return file;
    }

    public double seconds() {
        return samples.length / (double) RATE;
    }

    /** Peak level (0..1) of each of {@code columns} equal slices of the clip. */
    public float[] peaks(int columns) {
        float[] out = new float[Math.max(1, columns)];
        for (int c = 0; c < out.length; c++) {
            int from = (int) ((long) samples.length * c / out.length),
                    to = (int) ((long) samples.length * (c + 1) / out.length);
            float m = 0;
            for (int i = from; i < to; i++) m = Math.max(m, Math.abs(samples[i]));
            out[c] = Math.min(1f, m);
        }
        return out;
    }

    /**
     * Plays the clip on a background thread; {@code onEnd} runs (on that thread) when it ends or
     * stops. Returns false when the machine has no sound output.
     */
    public boolean play(Runnable onEnd) {
        stop();
        SourceDataLine line;
        try {
            AudioFormat fmt = new AudioFormat(RATE, 16, 1, true, false);
            line = AudioSystem.getSourceDataLine(fmt);
            line.open(fmt, RATE);
            line.start();
        } catch (Exception | LinkageError e) {
            AppLog.info("no sound output: " + e.getMessage());
            return false;
        }
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[4096];
                    try {
                        for (int i = 0; i < samples.length && player == Thread.currentThread(); ) {
                            int n = 0;
                            for (; n < buf.length && i < samples.length; i++, n += 2) {
                                int v = Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767);
                                buf[n] = (byte) v;
                                buf[n + 1] = (byte) (v >> 8);
                            }
                            line.write(buf, 0, n);
                        }
                        if (player == Thread.currentThread()) line.drain();
                    } finally {
                        line.close();
                        onEnd.run();
                    }
                },
                "audio-preview");
        t.setDaemon(true);
        player = t;
        t.start();
        return true;
    }

    public boolean playing() {
        Thread t = player;
        return t != null && t.isAlive();
    }

    public void stop() {
        player = null;
    }
}
