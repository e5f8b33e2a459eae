package studio.job;

/** A flag shared between the job and whoever may cancel it (CLI Ctrl-C, the UI's Cancel). */
public final class Cancellation {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Called by stages between frames and batches. */
    public void check() {
        if (cancelled) throw new CancelledException();
    }
}
