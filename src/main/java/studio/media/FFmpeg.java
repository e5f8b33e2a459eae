package studio.media;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * One-time FFmpeg set-up (only errors reach the console: the app reports problems itself), and
 * the only way the app opens FFmpeg grabbers and recorders, so none is opened before the set-up.
 */
public final class FFmpeg {
    private static volatile boolean done;

    private FFmpeg() {}

    public static void init() {
        if (done) return;
        synchronized (FFmpeg.class) {
            if (!done) {
                avutil.av_log_set_level(avutil.AV_LOG_ERROR);
                done = true;
            }
        }
    }

    /** A grabber on {@code file}, not yet started, FFmpeg set up. */
    public static FFmpegFrameGrabber grabber(Path file) {
        init();
        return new FFmpegFrameGrabber(file.toFile());
    }

    /** A recorder writing {@code file}, not yet started, FFmpeg set up. */
    public static FFmpegFrameRecorder recorder(Path file, int width, int height, int audioChannels) {
        init();
        return new FFmpegFrameRecorder(file.toFile(), width, height, audioChannels);
    }
}
