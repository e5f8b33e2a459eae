package studio.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import studio.job.Cancellation;

/**
 * Ctrl-C and SIGTERM cancel the running job, and the JVM exits as soon as the job has cleaned up
 * (its temporary files deleted), at most 10 s later. The hook waits for {@link #close()}, not for
 * the job's thread to end: that thread goes on to call {@code System.exit}, which blocks while
 * the hooks run, so waiting for it always cost the full 10 s.
 */
final class CancelOnSignal implements AutoCloseable {
    private static final long MAX_WAIT_SECONDS = 10;

    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final Thread hook;

    CancelOnSignal(Cancellation cancel) {
        hook = new Thread(
                () -> {
                    cancel.cancel();
                    try {
                        cleanedUp.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "cancel-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The job has finished or cleaned up: a signal from now on exits at once. */
    @Override
    public void close() {
        cleanedUp.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running and now returns
        }
    }
}
