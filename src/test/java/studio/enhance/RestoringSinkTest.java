package studio.enhance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The stage between renderer and writer: every frame comes out once, in order, restored, batches included. */
class RestoringSinkTest {
    @Test
    void passesEveryFrameOnInOrderAndFlushesThePartialBatch() {
        List<BufferedImage> out = new ArrayList<>();
        AtomicInteger opened = new AtomicInteger();
        int background = 40;
        try (RestoringSink sink = new RestoringSink(
                first -> {
                    opened.incrementAndGet();
                    return FaceRestorer.withNetwork(
                            f -> f.zerosLike().add(0.6f), 1.0, FaceRestorerTest.astronautFace(256));
                },
                3,
                out::add)) {
            for (int i = 0; i < 7; i++) sink.accept(FaceRestorerTest.flat(256, background + i));
            assertEquals(6, out.size(), "two full batches passed on, the seventh frame waits");
            sink.finish();
        }
        assertEquals(7, out.size(), "finish flushes the last frame");
        assertEquals(1, opened.get(), "the restorer is made once, from the first frame");
        for (int i = 0; i < 7; i++) {
            assertEquals(background + i, FaceRestorerTest.grey(out.get(i), 0, 255), "frame " + i + " in order");
            assertEquals(204, FaceRestorerTest.grey(out.get(i), 90, 110), 1, "frame " + i + " restored");
        }
    }

    @Test
    void closeWithoutFinishDropsThePendingFrames() {
        List<BufferedImage> out = new ArrayList<>();
        try (RestoringSink sink = new RestoringSink(
                first -> FaceRestorer.withNetwork(
                        f -> f.zerosLike().add(0.6f), 1.0, FaceRestorerTest.astronautFace(256)),
                3,
                out::add)) {
            for (int i = 0; i < 4; i++) sink.accept(FaceRestorerTest.flat(256, 40 + i));
        }
        assertEquals(3, out.size(), "a cancelled job restores nothing more after it stops");
    }
}
