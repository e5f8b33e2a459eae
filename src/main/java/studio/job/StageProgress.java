package studio.job;

import java.time.Duration;

/**
 * Tracks one stage's count and reports it with elapsed and estimated remaining time (linear in
 * the items done so far). Also the place where stages check for cancellation.
 */
public final class StageProgress {
    private final Stage stage;
    private final long total;
    private final ProgressListener listener;
    private final Cancellation cancellation;
    private final long start = System.nanoTime();
    private long done;
    private long lastReport;

    public StageProgress(Stage stage, long total, ProgressListener listener, Cancellation cancellation) {
        this.stage = stage;
        this.total = total;
        this.listener = listener;
        this.cancellation = cancellation;
        report(null);
    }

    /** Counts {@code n} more items done; reports at most every 100 ms and at the end. */
    public void advance(long n) {
        cancellation.check();
        done += n;
        long now = System.nanoTime();
        if (done >= total || now - lastReport > 100_000_000L) report(null);
    }

    public void message(String message) {
        cancellation.check();
        report(message);
    }

    public long done() {
        return done;
    }

    private void report(String message) {
        lastReport = System.nanoTime();
        Duration elapsed = Duration.ofNanos(lastReport - start);
        Duration remaining = done > 0 && total > 0
                ? elapsed.multipliedBy(Math.max(0, total - done)).dividedBy(done)
                : null;
        listener.onProgress(new Progress(stage, done, total, elapsed, remaining, message));
    }
}
