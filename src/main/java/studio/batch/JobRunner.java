package studio.batch;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import studio.job.Cancellation;
import studio.job.JobContext;
import studio.job.ModelPool;
import studio.job.ProgressListener;
import studio.job.StudioException;
import studio.media.FFmpeg;
import studio.nn.NativeMemory;
import studio.nn.TorchEngine;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderPipeline;
import studio.pipeline.RenderResult;

/**
 * Renders one job where it runs (an executor JVM, or the driver in {@code local} mode); knows
 * nothing of Spark. A job whose input is bad becomes a {@code failed} row with the message
 * {@code render} prints; anything else is thrown, so Spark retries the task (elsewhere).
 */
public final class JobRunner {
    private static volatile boolean initialised;
    /** The networks this JVM has loaded, kept for its next jobs: a farm loads each checkpoint once per executor. */
    static final ModelPool.Keeping MODELS = ModelPool.keeping();

    private JobRunner() {}

    /** Once per JVM: libtorch from the jars (never a download), freed native memory kept, FFmpeg's log level. */
    static void initialise() {
        if (initialised) return;
        synchronized (JobRunner.class) {
            if (!initialised) {
                TorchEngine.offline();
                NativeMemory.keepFreedMemory();
                FFmpeg.init();
                initialised = true;
            }
        }
    }

    /** The output of job {@code id} in {@code out}. */
    public static Path output(Path out, String id) {
        return out.resolve(id + ".mp4");
    }

    public static JobResult run(BatchJob job, Path out, Path checkpointDir) {
        initialise();
        long start = System.nanoTime();
        Path output = output(out, job.id());
        try {
            RenderOptions o = JobOptions.of(job, output, checkpointDir);
            if (isComplete(output, o.audio()))
                return new JobResult(job.id(), JobResult.SKIPPED, output.toString(), "", seconds(start), "");
            RenderResult r =
                    RenderPipeline.render(o, new JobContext(ProgressListener.NONE, new Cancellation(), MODELS));
            return new JobResult(job.id(), JobResult.DONE, r.output().toString(), r.engine(), seconds(start), "");
        } catch (StudioException e) {
            return new JobResult(job.id(), JobResult.FAILED, "", "", seconds(start), oneLine(e.getMessage()));
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }

    /**
     * Whether {@code mp4} is a finished render of {@code audio}: a regular file FFmpeg opens, with
     * video frames whose duration is within 0.1 s of the audio's. A half-written file cannot be one
     * (outputs are moved into place only when complete), but a file copied in by hand might be.
     */
    public static boolean isComplete(Path mp4, Path audio) {
        if (!Files.isRegularFile(mp4, LinkOption.NOFOLLOW_LINKS)) return false;
        FFmpeg.init();
        try (FFmpegFrameGrabber v = FFmpeg.grabber(mp4);
                FFmpegFrameGrabber a = FFmpeg.grabber(audio)) {
            v.start();
            int frames = v.getLengthInVideoFrames();
            double fps = v.getFrameRate();
            if (frames <= 0 || !(fps > 0) || v.getImageWidth() <= 0) return false;
            a.start();
            double audioSeconds = a.getLengthInTime() / 1e6;
            return Math.abs(frames / fps - audioSeconds) <= 0.1;
        } catch (Exception e) {
            return false;
        }
    }
}
