package studio.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import studio.job.CancelledException;
import studio.job.JobContext;
import studio.job.Progress;
import studio.job.ProgressListener;
import studio.job.StudioException;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderPipeline;
import studio.pipeline.RenderResult;

/**
 * Renders run one after another on a single background thread, so the user can line up the next
 * ones while one runs. The job list and each job's properties are changed on the FX thread.
 */
public final class RenderQueue implements AutoCloseable {
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "render-queue");
        t.setDaemon(true);
        return t;
    });
    private final ObservableList<RenderJob> jobs = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<RenderJob> running = new ReadOnlyObjectWrapper<>();
    private final Set<Path> claimedOutputs = new HashSet<>();
    private Consumer<RenderJob> onFinished = j -> {};
    private int count;

    public ObservableList<RenderJob> jobs() {
        return jobs;
    }

    public ReadOnlyObjectProperty<RenderJob> runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Called on the FX thread when a job ends (done, failed or cancelled). */
    public void setOnFinished(Consumer<RenderJob> onFinished) {
        this.onFinished = onFinished;
    }

    /** Adds a job (FX thread); it starts when the jobs before it have ended. */
    public RenderJob submit(RenderOptions options) {
        RenderJob job = new RenderJob(++count, options);
        claimedOutputs.add(options.output().toAbsolutePath());
        jobs.add(job);
        AppLog.info("queued render #" + job.number() + ": " + job.title() + " -> " + options.output());
        worker.submit(() -> run(job));
        return job;
    }

    /**
     * A new file name in {@code dir} for these inputs, e.g. {@code astronaut-speech-3.mp4}, that
     * neither exists nor belongs to a queued job.
     */
    public Path nextOutput(Path dir, Path image, Path audio) {
        String stem = stem(image) + "-" + stem(audio);
        for (int n = 1; ; n++) {
            Path p = dir.resolve(stem + "-" + n + ".mp4").toAbsolutePath();
            if (!Files.exists(p) && !claimedOutputs.contains(p)) return p;
        }
    }

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^\\p{L}\\p{N}_-]+", "_");
    }

    private void run(RenderJob job) {
        if (job.cancellation().isCancelled()) {
            fx(() -> finish(job, RenderJob.Status.CANCELLED));
            return;
        }
        fx(() -> {
            if (job.status() != RenderJob.Status.QUEUED) return; // cancelled while it waited
            job.status.set(RenderJob.Status.RUNNING);
            running.set(job);
        });
        try {
            ProgressListener listener = new ProgressListener() {
                @Override
                public void onProgress(Progress p) {
                    fx(() -> job.progress.put(p.stage(), p));
                }

                @Override
                public void onWarning(String message) {
                    AppLog.warn("render #" + job.number() + ": " + message);
                    fx(() -> job.warnings.add(message));
                }
            };
            JobContext ctx = new JobContext(listener, job.cancellation());
            RenderResult r = RenderPipeline.render(job.options(), ctx);
            AppLog.info("render #" + job.number() + " done: " + r.output() + ", " + r.frames() + " frames in "
                    + String.format("%.1f s", r.seconds()) + ", engine " + r.engine());
            fx(() -> {
                job.result.set(r);
                finish(job, RenderJob.Status.DONE);
            });
        } catch (CancelledException e) {
            AppLog.info("render #" + job.number() + " cancelled");
            fx(() -> finish(job, RenderJob.Status.CANCELLED));
        } catch (StudioException e) {
            AppLog.warn("render #" + job.number() + " failed: " + e.getMessage());
            fx(() -> {
                job.error.set(UiText.of(e.getMessage()));
                finish(job, RenderJob.Status.FAILED);
            });
        } catch (RuntimeException | Error e) {
            AppLog.error("render #" + job.number() + " failed unexpectedly", e);
            fx(() -> {
                job.error.set(Messages.f(
                        "error.unexpected",
                        String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
                finish(job, RenderJob.Status.FAILED);
            });
        }
    }

    private void finish(RenderJob job, RenderJob.Status status) {
        if (job.status().finished()) { // a waiting job cancelled at once: the worker only skips it now
            if (running.get() == job) running.set(null);
            return;
        }
        job.status.set(status);
        claimedOutputs.remove(job.options().output().toAbsolutePath());
        if (running.get() == job) running.set(null);
        onFinished.accept(job);
    }

    /**
     * Cancels a job (FX thread): a waiting one shows as cancelled at once and is skipped; a running
     * one stops at its next frame (its temporary file is removed).
     */
    public void cancel(RenderJob job) {
        job.cancel();
        if (job.status() == RenderJob.Status.QUEUED) finish(job, RenderJob.Status.CANCELLED);
    }

    /** Removes a job from the list (FX thread), cancelling it if it waits; false for the running one. */
    public boolean remove(RenderJob job) {
        if (job.status() == RenderJob.Status.RUNNING) return false;
        cancel(job);
        jobs.remove(job);
        return true;
    }

    /** Removes every finished job (done, failed, cancelled) from the list. */
    public void clearFinished() {
        jobs.removeIf(j -> j.status().finished());
    }

    /** Whether a render runs or waits (FX thread). */
    public boolean busy() {
        return jobs.stream().anyMatch(j -> !j.status().finished()) || running.get() != null;
    }

    private static void fx(Runnable r) {
        Platform.runLater(r);
    }

    /**
     * Cancels everything (window closed) and waits a few seconds for the running render to stop,
     * so it removes its temporary file before the app exits.
     */
    @Override
    public void close() {
        for (RenderJob j : jobs) j.cancel();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) AppLog.warn("the render did not stop in 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
