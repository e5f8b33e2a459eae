package studio.testing;

import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** What an MP4 holds, read back with JavaCV's grabber (frames and samples counted, not trusted from headers). */
public record Mp4Probe(
        String videoCodec,
        String audioCodec,
        int width,
        int height,
        double frameRate,
        int videoFrames,
        double audioSeconds,
        String comment) {
    public static Mp4Probe read(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            String vc = g.getVideoCodecName(), ac = g.getAudioCodecName();
            int w = g.getImageWidth(), h = g.getImageHeight(), rate = g.getSampleRate(), ch = g.getAudioChannels();
            double fps = g.getFrameRate();
            String comment = g.getMetadata("comment");
            int frames = 0;
            long samples = 0;
            Frame f;
            while ((f = g.grab()) != null) {
                if (f.image != null) frames++;
                if (f.samples != null) samples += f.samples[0].limit() / (f.samples.length == 1 ? ch : 1);
            }
            return new Mp4Probe(vc, ac, w, h, fps, frames, samples / (double) rate, comment);
        }
    }
}
