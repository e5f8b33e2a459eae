package studio.job;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a job gets its loaded networks. A single render ({@link #FRESH}: the CLI, the app) loads
 * them and closes them when done; a batch executor ({@link #keeping()}) keeps them for the next job
 * in the same JVM, so a farm loads each checkpoint once per executor instead of once per clip.
 * A lease is exclusive: two jobs running at once in one JVM never share a network (the layers keep
 * per-call state in their managers), each gets its own, and a returned one serves the next job.
 */
public interface ModelPool {
    /** A loaded model held for one use; closing the lease gives it back (or closes it). */
    interface Lease<T extends AutoCloseable> extends AutoCloseable {
        T get();

        @Override
        void close();
    }

    /**
     * The model stored under {@code key} (which must name everything it was loaded from: folder,
     * size, variant), loading it with {@code load} when none is free.
     */
    <T extends AutoCloseable> Lease<T> lease(String key, Supplier<T> load);

    /** Loads for each use and closes afterwards: nothing outlives the job. */
    ModelPool FRESH = new ModelPool() {
        @Override
        public <T extends AutoCloseable> Lease<T> lease(String key, Supplier<T> load) {
            T model = load.get();
            return new Lease<>() {
                private boolean closed;

                @Override
                public T get() {
                    return model;
                }

                @Override
                public void close() {
                    if (closed) return;
                    closed = true;
                    closeQuietly(model);
                }
            };
        }
    };

    /** A pool that keeps returned models for later jobs in this JVM. */
    static Keeping keeping() {
        return new Keeping();
    }

    /** The pool of a long-lived worker: returned models wait for the next lease of the same key. */
    final class Keeping implements ModelPool, AutoCloseable {
        private final Map<String, Deque<AutoCloseable>> idle = new HashMap<>();
        private final Map<String, Integer> loads = new HashMap<>();
        private boolean closed;

        private Keeping() {}

        @Override
        @SuppressWarnings("unchecked")
        public <T extends AutoCloseable> Lease<T> lease(String key, Supplier<T> load) {
            T model;
            synchronized (this) {
                Deque<AutoCloseable> free = idle.get(key);
                model = free == null || free.isEmpty() ? null : (T) free.pop();
                if (model == null) loads.merge(key, 1, Integer::sum);
            }
            T held = model != null ? model : load.get(); // loading happens outside the lock
            return new Lease<>() {
                private boolean returned;

                @Override
                public T get() {
                    return held;
                }

                @Override
                public void close() {
                    if (returned) return;
                    returned = true;
                    synchronized (Keeping.this) {
                        if (!closed) {
                            idle.computeIfAbsent(key, k -> new ArrayDeque<>()).push(held);
                            return;
                        }
                    }
                    closeQuietly(held);
                }
            };
        }

        /** How many times a model was loaded for {@code key} (not taken from the pool). */
        public synchronized int loads(String key) {
            return loads.getOrDefault(key, 0);
        }

        /** Closes every idle model; models still leased are closed when they are returned. */
        @Override
        public void close() {
            List<AutoCloseable> all = new ArrayList<>();
            synchronized (this) {
                closed = true;
                for (Deque<AutoCloseable> d : idle.values()) all.addAll(d);
                idle.clear();
            }
            for (AutoCloseable m : all) closeQuietly(m);
        }
    }

    private static void closeQuietly(AutoCloseable model) {
        try {
            model.close();
        } catch (Exception e) {
            // releasing native memory of a model nobody uses any more: nothing the job can do about it
        }
    }
}
