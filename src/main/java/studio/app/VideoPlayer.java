package studio.app;

import java.awt.image.BufferedImage;
import java.nio.Buffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.SourceDataLine;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import studio.media.FFmpeg;

/**
 * Plays an MP4 into an ImageView with JavaCV's grabber (javafx-media would need system codecs):
 * frames at their timestamps (25 fps), sound through javax.sound when a line is available, silently
 * otherwise (e.g. under Xvfb with no sound card). Decoding runs on its own daemon thread.
 */
public final class VideoPlayer {
    private final ImageView view;
    private final ReadOnlyIntegerWrapper framesShown = new ReadOnlyIntegerWrapper();
    private final ReadOnlyBooleanWrapper playing = new ReadOnlyBooleanWrapper();
    private final AtomicReference<Image> pending = new AtomicReference<>();
    private volatile Thread thread;
    private volatile boolean stop;
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyDoubleWrapper position = new ReadOnlyDoubleWrapper(), duration = new ReadOnlyDoubleWrapper();
    private final ReadOnlyBooleanWrapper paused = new ReadOnlyBooleanWrapper();
    private volatile boolean pause;
    /** Starts again from the beginning at the end, until stopped. */
    public final BooleanProperty loop = new SimpleBooleanProperty();

    private volatile boolean looping;

    public VideoPlayer(ImageView view) {
        this.view = view;
        loop.addListener((o, a, b) -> looping = b);
    }

    /** Seconds into the video of the picture shown. */
    public ReadOnlyDoubleProperty positionProperty() {
        return position.getReadOnlyProperty();
    }

    /** The video's length in seconds (0 before the first is opened). */
    public ReadOnlyDoubleProperty durationProperty() {
        return duration.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty pausedProperty() {
        return paused.getReadOnlyProperty();
    }

    /** Pauses or resumes (FX thread); a video that has ended plays again from the start. */
    public void togglePause() {
        if (file.get() == null) return;
        if (!playing.get()) {
            play(file.get());
            return;
        }
        pause = !pause;
        paused.set(pause);
    }

    /** Shows the video from {@code seconds} on, paused or playing as it was (FX thread). */
    public void seek(double seconds) {
        Path f = file.get();
        if (f == null) return;
        boolean wasPaused = pause || !playing.get();
        play(f, Math.max(0, Math.min(seconds, duration.get())), wasPaused);
    }

    /** Frames put on screen since the last {@link #play}. */
    public ReadOnlyIntegerProperty framesShownProperty() {
        return framesShown.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty playingProperty() {
        return playing.getReadOnlyProperty();
    }

    /** The video last played (null before the first). */
    public Path file() {
        return file.get();
    }

    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    /** Starts playing {@code mp4} from the start (FX thread); stops what was playing. */
    public void play(Path mp4) {
        play(mp4, 0, false);
    }

    private void play(Path mp4, double fromSeconds, boolean startPaused) {
        stop();
        file.set(mp4);
        framesShown.set(0);
        position.set(fromSeconds);
        playing.set(true);
        stop = false;
        pause = startPaused;
        paused.set(startPaused);
        long from = Math.round(fromSeconds * 1e6);
        Thread t = new Thread(() -> decode(mp4, from), "video-player");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    public void stop() {
        stop = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
        playing.set(false);
    }

    private void decode(Path mp4, long fromMicros) {
        SourceDataLine line = null;
        try (FFmpegFrameGrabber g = FFmpeg.grabber(mp4);
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            g.setSampleMode(FrameGrabber.SampleMode.SHORT);
            g.start();
            double length = Math.max(0, g.getLengthInTime() / 1e6);
            Platform.runLater(() -> duration.set(length));
            if (fromMicros > 0) g.setTimestamp(fromMicros);
            if (g.getAudioChannels() > 0) line = openLine(g.getSampleRate(), g.getAudioChannels());
            long start = System.nanoTime() - fromMicros * 1000L;
            boolean shownSinceStart = false;
            while (!stop) {
                Frame f = g.grab();
                if (f == null) {
                    if (!looping || !shownSinceStart) break;
                    g.setTimestamp(0); // loop: from the start again
                    start = System.nanoTime();
                    shownSinceStart = false;
                    continue;
                }
                if (f.image != null) {
                    long due = start + f.timestamp * 1000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    BufferedImage frame = converter.convert(f);
                    double at = f.timestamp / 1e6;
                    Thread me = Thread.currentThread();
                    show(SwingFXUtils.toFXImage(frame, null));
                    Platform.runLater(() -> {
                        if (thread == me) position.set(at);
                    });
                    shownSinceStart = true;
                    if (pause) { // paused: keep this picture, then go on where the clock stopped
                        long pausedAt = System.nanoTime();
                        while (pause && !stop) Thread.sleep(20);
                        start += System.nanoTime() - pausedAt;
                    }
                } else if (f.samples != null && line != null) {
                    byte[] pcm = interleave(f.samples);
                    line.write(pcm, 0, pcm.length);
                }
            }
            if (line != null && !stop) line.drain();
        } catch (InterruptedException e) {
            // stopped
        } catch (Exception e) {
            if (!stop) AppLog.error("cannot play " + mp4, e);
        } finally {
            if (line != null) line.close();
            Thread me = Thread.currentThread();
            Platform.runLater(() -> {
                if (thread == me) playing.set(false);
            });
        }
    }

    /** Hands the newest picture to the FX thread; a slow UI skips frames rather than queueing them. */
    private void show(Image image) {
        if (pending.getAndSet(image) == null) {
            Platform.runLater(() -> {
                Image img = pending.getAndSet(null);
                if (img != null && !stop) {
                    view.setImage(img);
                    framesShown.set(framesShown.get() + 1);
                }
            });
        }
    }

    private static SourceDataLine openLine(int rate, int channels) {
        try {
            AudioFormat fmt = new AudioFormat(rate, 16, channels, true, false);
            SourceDataLine line = AudioSystem.getSourceDataLine(fmt);
            line.open(fmt, rate * channels * 2); // one second of buffer
            line.start();
            return line;
        } catch (Exception | LinkageError e) {
            AppLog.info("no sound output (" + e.getMessage() + "): playing the video silently");
            return null;
        }
    }

    /** 16-bit little-endian interleaved PCM from planar or interleaved short samples. */
    static byte[] interleave(Buffer[] samples) {
        if (samples.length == 1) {
            ShortBuffer s = ((ShortBuffer) samples[0]).duplicate();
            byte[] out = new byte[s.remaining() * 2];
            for (int i = 0; s.hasRemaining(); i += 2) {
                short v = s.get();
                out[i] = (byte) v;
                out[i + 1] = (byte) (v >> 8);
            }
            return out;
        }
        int ch = samples.length;
        ShortBuffer[] planes = new ShortBuffer[ch];
        for (int c = 0; c < ch; c++) planes[c] = ((ShortBuffer) samples[c]).duplicate();
        int n = planes[0].remaining();
        byte[] out = new byte[n * ch * 2];
        int i = 0;
        for (int k = 0; k < n; k++) {
            for (int c = 0; c < ch; c++) {
                short v = planes[c].get();
                out[i++] = (byte) v;
                out[i++] = (byte) (v >> 8);
            }
        }
        return out;
    }
}
