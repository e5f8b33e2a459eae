package studio.job;

/** Receives progress from a job; called from the job's thread. */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(Progress progress);

    /** One line the user should read but that does not stop the job (e.g. "2 faces found; animating the largest"). */
    default void onWarning(String message) {}

    ProgressListener NONE = p -> {};
}
