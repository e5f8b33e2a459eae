package studio.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The encoder's queue: order, overlap, bounded memory, failures reaching the producer. */
class FrameQueueTest {
    private static BufferedImage frame(int i) {
        BufferedImage f = new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR);
        f.setRGB(0, 0, i);
        return f;
    }

    @Test
    void keepsOrderOnAnotherThread() {
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        try (FrameQueue q = new FrameQueue(
                f -> {
                    got.add(f.getRGB(0, 0) & 0xffffff);
                    threads.add(Thread.currentThread().getName());
                },
                3,
                "encoder")) {
            for (int i = 0; i < 50; i++) q.accept(frame(i));
            q.finish();
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) expected.add(i);
        assertEquals(expected, got);
        assertTrue(threads.stream().allMatch("encoder"::equals));
        assertNotEquals("encoder", Thread.currentThread().getName());
    }

    @Test
    void holdsAtMostItsCapacityWhileTheConsumerIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger consumed = new AtomicInteger();
        AtomicInteger produced = new AtomicInteger();
        try (FrameQueue q = new FrameQueue(
                f -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    consumed.incrementAndGet();
                },
                2,
                "encoder")) {
            Thread producer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10; i++) {
                    q.accept(frame(i));
                    produced.incrementAndGet();
                }
            });
            Thread.sleep(500);
            // one frame in the consumer's hands, two queued: the producer waits for room
            assertEquals(3, produced.get(), "frames taken while the consumer is blocked");
            release.countDown();
            producer.join(TimeUnit.SECONDS.toMillis(10));
            q.finish();
            assertEquals(10, consumed.get());
        }
    }

    @Test
    void aConsumerFailureReachesTheProducer() {
        IllegalStateException diskFull = new IllegalStateException("disk full");
        FrameQueue q = new FrameQueue(
                f -> {
                    throw diskFull;
                },
                2,
                "encoder");
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            for (int i = 0; i < 100; i++) q.accept(frame(i));
            q.finish();
        });
        assertSame(diskFull, e);
        q.close();
    }

    @Test
    void closeWithoutFinishStopsTheConsumer() {
        AtomicInteger consumed = new AtomicInteger();
        FrameQueue q = new FrameQueue(f -> consumed.incrementAndGet(), 4, "encoder");
        q.accept(frame(1));
        q.close();
        int after = consumed.get();
        assertTrue(after <= 1);
        q.close(); // twice is harmless
        assertEquals(after, consumed.get());
    }
}
