package studio.job;

/** Receives progress from a job; called from the job's thread. */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(Progress progress);

    ProgressListener NONE = p -> {};
}
