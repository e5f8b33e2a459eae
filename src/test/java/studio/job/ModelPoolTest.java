package studio.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Loaded networks: fresh per job by default, kept across jobs (exclusively leased) in a batch worker. */
class ModelPoolTest {
    private static final class Model implements AutoCloseable {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void freshLoadsEachTimeAndClosesOnce() {
        AtomicInteger loads = new AtomicInteger();
        Model a;
        try (ModelPool.Lease<Model> l = ModelPool.FRESH.lease("k", () -> count(loads))) {
            a = l.get();
            l.close(); // early give-back, as the pipeline does with the face stage
        }
        assertTrue(a.closed);
        try (ModelPool.Lease<Model> l = ModelPool.FRESH.lease("k", () -> count(loads))) {
            assertNotSame(a, l.get());
        }
        assertEquals(2, loads.get());
    }

    @Test
    void keepingReusesAReturnedModelAndNeverSharesOneInUse() {
        AtomicInteger loads = new AtomicInteger();
        try (ModelPool.Keeping pool = ModelPool.keeping()) {
            Model first;
            try (ModelPool.Lease<Model> l = pool.lease("renderer 256", () -> count(loads))) {
                first = l.get();
            }
            assertFalse(first.closed, "kept for the next job");
            try (ModelPool.Lease<Model> again = pool.lease("renderer 256", () -> count(loads));
                    ModelPool.Lease<Model> concurrent = pool.lease("renderer 256", () -> count(loads))) {
                assertSame(first, again.get(), "the next job gets the loaded model");
                assertNotSame(again.get(), concurrent.get(), "a job running at the same time gets its own");
            }
            try (ModelPool.Lease<Model> other = pool.lease("renderer 512", () -> count(loads))) {
                assertNotSame(first, other.get(), "another key is another model");
            }
            assertEquals(2, pool.loads("renderer 256"));
            assertEquals(1, pool.loads("renderer 512"));
            pool.close();
            assertTrue(first.closed, "closing the pool closes what it kept");
        }
    }

    private static Model count(AtomicInteger loads) {
        loads.incrementAndGet();
        return new Model();
    }
}
