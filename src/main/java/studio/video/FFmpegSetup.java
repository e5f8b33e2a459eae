package studio.video;

import org.bytedeco.ffmpeg.global.avutil;

/** One-time FFmpeg set-up: only errors reach the console (the app reports problems itself). */
public final class FFmpegSetup {
    private static volatile boolean done;

    private FFmpegSetup() {}

    public static void init() {
        if (done) return;
        synchronized (FFmpegSetup.class) {
            if (!done) {
                avutil.av_log_set_level(avutil.AV_LOG_ERROR);
                done = true;
            }
        }
    }
}
