package studio.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import studio.audio.AudioFeatures;
import studio.audio.AudioLoader;
import studio.job.DiskSpace;
import studio.job.FrameSink;
import studio.job.OutputFile;
import studio.job.StudioException;
import studio.media.FFmpeg;

/**
 * Streams frames into an MP4 (H.264 yuv420p + AAC, 25 fps). The soundtrack is read from the source
 * audio file alongside the frames, so neither the video nor the audio is held in memory. Output
 * goes to a temporary file in the target folder that is moved into place only by {@link #finish()};
 * {@link #close()} without finish deletes it.
 */
public final class Mp4Writer implements FrameSink, AutoCloseable {
    public static final int AUDIO_RATE = 48000;
    private static final int AUDIO_PER_FRAME = AUDIO_RATE / AudioFeatures.FPS;
    /** Less room than this where the video goes means a write has failed or is about to (FFmpeg buffers ~32 KB). */
    private static final long MIN_FREE_BYTES = 256 << 10;

    private final Path output;
    private final OutputFile file;
    private final int frames;
    private final FFmpegFrameRecorder recorder;
    private final FFmpegFrameGrabber audio;
    private final int channels;
    private final Java2DFrameConverter converter = new Java2DFrameConverter();
    private final float[] pending;
    private int pendingStart, pendingEnd;
    private boolean audioEnded;
    private int written;
    private boolean finished;

    /**
     * @param frames   number of video frames that will be written (the audio is cut to match)
     * @param metadata MP4 tags, e.g. comment = which engine rendered the video
     */
    public Mp4Writer(Path output, int width, int height, Path audioFile, int frames, Map<String, String> metadata) {
        if (width % 2 != 0 || height % 2 != 0)
            throw new IllegalArgumentException("yuv420p needs even sizes: " + width + "x" + height);
        this.output = output.toAbsolutePath();
        this.frames = frames;
        this.file = OutputFile.create(output, List.of(audioFile));
        FFmpegFrameGrabber a = null;
        FFmpegFrameRecorder r = null;
        try {
            a = AudioLoader.open(audioFile, AUDIO_RATE, 0);
            int ch = Math.max(1, Math.min(2, a.getAudioChannels()));
            a.stop();
            a.setAudioChannels(ch);
            a.start();
            channels = ch;
            r = FFmpeg.recorder(file.temp(), width, height, ch);
            r.setFormat("mp4");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(AudioFeatures.FPS);
            r.setGopSize(AudioFeatures.FPS * 2);
            r.setVideoOption("crf", "18");
            r.setVideoOption("preset", "veryfast");
            r.setVideoOption("profile", "high");
            r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            r.setSampleRate(AUDIO_RATE);
            r.setAudioBitrate(128_000);
            r.setOption("movflags", "+faststart");
            r.setMetadata(metadata);
            r.start();
        } catch (Exception e) {
            closeQuietly(r, a);
            file.close();
            if (e instanceof StudioException se) throw se;
            throw new StudioException(output + ": cannot start the video encoder (" + DiskSpace.explain(e) + ")", e);
        }
        this.audio = a;
        this.recorder = r;
        this.pending = new float[AUDIO_PER_FRAME * channels * 8];
    }

    @Override
    public void accept(BufferedImage frame) {
        if (written >= frames) throw new IllegalStateException("more frames than announced (" + frames + ")");
        try {
            recorder.record(converter.convert(frame));
            written++;
            writeAudioUpTo((long) written * AUDIO_PER_FRAME);
        } catch (FFmpegFrameRecorder.Exception | FrameGrabber.Exception e) {
            throw new StudioException(output + ": video encoding failed (" + DiskSpace.explain(e) + ")", e);
        }
        // FFmpeg's muxer keeps a failed write (ENOSPC) in its I/O context and JavaCV never reports
        // it, so a full disk would go unnoticed until the file is read back: look every second.
        if (written % AudioFeatures.FPS == 0 && diskFull())
            throw new StudioException(output + ": video encoding failed (the disk is full)");
    }

    private long audioWritten;

    /** Writes soundtrack samples until {@code target} sample frames have been written; silence past the end. */
    private void writeAudioUpTo(long target) throws FFmpegFrameRecorder.Exception, FrameGrabber.Exception {
        while (audioWritten < target) {
            if (pendingStart == pendingEnd) fill();
            int want = (int) Math.min(target - audioWritten, (pendingEnd - pendingStart) / channels);
            recorder.recordSamples(AUDIO_RATE, channels, FloatBuffer.wrap(pending, pendingStart, want * channels));
            pendingStart += want * channels;
            audioWritten += want;
        }
    }

    private void fill() throws FrameGrabber.Exception {
        pendingStart = 0;
        pendingEnd = 0;
        while (!audioEnded && pendingEnd == 0) {
            Frame f = audio.grabSamples();
            if (f == null) {
                audioEnded = true;
                break;
            }
            if (f.samples == null) continue;
            FloatBuffer b = (FloatBuffer) f.samples[0];
            int n = Math.min(b.remaining(), pending.length);
            b.get(pending, 0, n);
            pendingEnd = n;
        }
        if (pendingEnd == 0) { // past the end of the source: silence
            Arrays.fill(pending, 0f);
            pendingEnd = AUDIO_PER_FRAME * channels;
        }
    }

    /** Completes the file and moves it into place. */
    public Path finish() {
        if (written != frames) throw new IllegalStateException("wrote " + written + " of " + frames + " frames");
        try {
            recorder.stop();
            recorder.release();
            audio.close();
        } catch (Exception e) {
            throw new StudioException(output + ": could not complete the video (" + DiskSpace.explain(e) + ")", e);
        }
        verifyComplete();
        file.commit();
        finished = true;
        return output;
    }

    /**
     * Reads the finished file back: the trailer and the faststart rewrite happen in
     * {@code stop()}, whose write errors JavaCV drops, so only reading shows a cut-off file.
     */
    private void verifyComplete() {
        int found;
        try (FFmpegFrameGrabber g = FFmpeg.grabber(file.temp())) {
            g.start();
            found = g.getLengthInVideoFrames();
        } catch (Exception e) {
            found = -1;
        }
        if (found == frames) return;
        if (diskFull()) throw new StudioException(output + ": could not complete the video (the disk is full)");
        throw new StudioException(output + ": could not complete the video (the written file is incomplete: "
                + (found < 0 ? "unreadable" : found + " of " + frames + " frames") + ")");
    }

    /**
     * Whether the disk the video is written to has less than {@link #MIN_FREE_BYTES} left; false
     * when the file system does not say (some report 0 of 0).
     */
    private boolean diskFull() {
        try {
            FileStore store = Files.getFileStore(file.temp());
            return store.getTotalSpace() > 0 && store.getUsableSpace() < MIN_FREE_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    /** Releases the encoder; without {@link #finish()} the partial file is deleted. */
    @Override
    public void close() {
        if (finished) return;
        closeQuietly(recorder, audio);
        file.close();
    }

    private static void closeQuietly(FFmpegFrameRecorder r, FFmpegFrameGrabber a) {
        try {
            if (r != null) r.close();
        } catch (Exception ignored) {
            // best effort: the file is discarded anyway
        }
        try {
            if (a != null) a.close();
        } catch (Exception ignored) {
            // best effort
        }
    }
}
