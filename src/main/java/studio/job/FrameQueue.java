package studio.job;

import java.awt.image.BufferedImage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A frame sink that hands frames to the next one on its own thread, through a queue of at most
 * {@code capacity} frames: the producer (a GPU renderer, GFPGAN) goes on with the next batch while
 * the consumer (the H.264 encoder) works on the last one, and memory stays bounded by the
 * capacity. Frames keep their order. A failure of the consumer (a full disk, a cancellation) is
 * thrown to the producer at its next {@link #accept} or at {@link #finish}.
 */
public final class FrameQueue implements FrameSink, AutoCloseable {
    private static final BufferedImage END = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);

    private final BlockingQueue<BufferedImage> queue;
    private final Thread consumer;
    private volatile RuntimeException failure;
    private volatile boolean stopped;
    private boolean finished;

    public FrameQueue(FrameSink downstream, int capacity, String name) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        queue = new ArrayBlockingQueue<>(capacity);
        consumer = Thread.ofPlatform().daemon().name(name).unstarted(() -> drain(downstream));
        consumer.start();
    }

    private void drain(FrameSink downstream) {
        try {
            while (true) {
                BufferedImage f = queue.take();
                if (f == END || stopped) return;
                downstream.accept(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            queue.clear(); // unblocks a producer waiting for room
        }
    }

    @Override
    public void accept(BufferedImage frame) {
        rethrow();
        try {
            // waits for room while the consumer runs; wakes up to notice a consumer that has failed
            while (!queue.offer(frame, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
                if (!consumer.isAlive()) throw new IllegalStateException("frame consumer ended");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
    }

    /** Waits until every queued frame has been consumed; rethrows the consumer's failure. */
    public void finish() {
        if (finished) return;
        finished = true;
        try {
            while (consumer.isAlive() && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) rethrow();
            consumer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException();
        }
        rethrow();
    }

    private void rethrow() {
        RuntimeException f = failure;
        if (f != null) throw f;
    }

    /** Stops the consumer without draining (a failed or cancelled job); waits for it to end. */
    @Override
    public void close() {
        if (finished) return;
        finished = true;
        stopped = true;
        queue.clear();
        queue.offer(END);
        try {
            consumer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
