package studio.batch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.CollectionAccumulator;
import studio.job.InputException;
import studio.job.StudioException;
import studio.weights.ModelCatalog;

/**
 * The only class that touches Spark. One Spark task per job ({@code parallelize(jobs, jobs.size())}):
 * a lost executor costs one job, retried elsewhere ({@code spark.task.maxFailures}, 4), and
 * executors take jobs as they free up. Each executor JVM initialises the render runtime once
 * ({@link JobRunner#initialise()}) and renders job after job.
 *
 * <p>No duplicate, no half-written output: every attempt writes its own hidden temporary file
 * beside {@code <id>.mp4} and moves it into place atomically when complete, so a reader sees no
 * file or a whole one; if two attempts of one job both finish (an executor thought lost that was
 * only slow), the last move wins and both files are renders of the same inputs. Temporary files
 * of attempts that died with their executor are removed when the batch ends.
 */
public final class SparkBatch {
    private SparkBatch() {}

    /** Runs the batch; returns one row per job, in the JOBS file's order (also written to {@code out/results.csv}). */
    public static List<JobResult> run(BatchSpec spec, PrintStream console) {
        List<BatchJob> jobs = JobFile.read(spec.jobs());
        Path out = spec.out().toAbsolutePath().normalize();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new InputException(spec.out(), "cannot be created (" + e.getMessage() + ")");
        }
        if (!Files.isDirectory(out) || !Files.isWritable(out))
            throw new InputException(spec.out(), "is not a writable folder");
        Path checkpoints = (spec.checkpointDir() != null ? spec.checkpointDir() : ModelCatalog.defaultDir())
                .toAbsolutePath()
                .normalize();
        Path sparkHome = isLocalCluster(spec.master()) ? localClusterHome() : null;
        Map<String, JobResult> rows = new LinkedHashMap<>();
        long start = System.nanoTime();
        try (JavaSparkContext sc = new JavaSparkContext(conf(spec, sparkHome))) {
            if (sc.sc().uiWebUrl().isDefined())
                console.println("Spark UI: " + sc.sc().uiWebUrl().get());
            CollectionAccumulator<JobResult> finished = sc.sc().collectionAccumulator("finished jobs");
            JavaFutureAction<List<JobResult>> action = sc.parallelize(jobs, jobs.size())
                    .mapPartitions(new RenderPartition(out.toString(), checkpoints.toString(), finished))
                    .collectAsync();
            int shown = -1;
            while (true) {
                try {
                    for (JobResult r : action.get(500, TimeUnit.MILLISECONDS)) rows.put(r.id(), r);
                    break;
                } catch (TimeoutException e) {
                    List<JobResult> now = finished.value();
                    if (now.size() != shown) {
                        shown = now.size();
                        for (JobResult r : now) rows.put(r.id(), r);
                        if (!spec.quiet()) console.println(progress(rows.values(), jobs.size(), start));
                        ResultsFile.write(out, inJobOrder(jobs, rows, false));
                    }
                } catch (ExecutionException e) {
                    // Spark gave up (a job failed spark.task.maxFailures times, or the cluster went away):
                    // what finished is kept, the rest is reported as failed.
                    for (JobResult r : finished.value()) rows.putIfAbsent(r.id(), r);
                    String why = JobRunner.oneLine(rootMessage(e));
                    for (BatchJob j : jobs)
                        rows.putIfAbsent(j.id(), JobResult.failed(j.id(), "not rendered: Spark stopped: " + why));
                    break;
                } catch (InterruptedException e) {
                    action.cancel(true);
                    Thread.currentThread().interrupt();
                    throw new StudioException("batch interrupted");
                }
            }
        } finally {
            removeTemporaryFiles(out, jobs);
            if (sparkHome != null) deleteTree(sparkHome);
        }
        List<JobResult> all = inJobOrder(jobs, rows, true);
        ResultsFile.write(out, all);
        return all;
    }

    /** One task's jobs, rendered one after the other on the executor that runs it. */
    static final class RenderPartition implements FlatMapFunction<Iterator<BatchJob>, JobResult> {
        private final String out, checkpoints;
        private final CollectionAccumulator<JobResult> finished;

        RenderPartition(String out, String checkpoints, CollectionAccumulator<JobResult> finished) {
            this.out = out;
            this.checkpoints = checkpoints;
            this.finished = finished;
        }

        @Override
        public Iterator<JobResult> call(Iterator<BatchJob> jobs) {
            List<JobResult> results = new ArrayList<>();
            while (jobs.hasNext()) {
                JobResult r = JobRunner.run(jobs.next(), Path.of(out), Path.of(checkpoints));
                finished.add(r);
                results.add(r);
            }
            return results.iterator();
        }
    }

    static SparkConf conf(BatchSpec spec, Path sparkHome) {
        String master = spec.master() == null || spec.master().isBlank()
                ? (spec.executors() > 0 ? "local[" + spec.executors() + "]" : "local[*]")
                : spec.master().strip();
        boolean local = master.startsWith("local");
        SparkConf c = new SparkConf()
                .setAppName("Talking Head Studio batch")
                .setMaster(master)
                .set("spark.task.maxFailures", "4")
                .set("spark.speculation", "false")
                .set("spark.ui.enabled", Boolean.toString(spec.ui() || !local))
                .set("spark.ui.showConsoleProgress", "false");
        if (local) {
            c.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        // Executors run the same install: its class path and JVM options (Spark adds its own --add-opens list).
        c.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        StringBuilder opts = new StringBuilder("-Dai.djl.offline=true -Xss4m");
        String home = System.getProperty("studio.home");
        if (home != null) opts.append(" -Dstudio.home=").append(home);
        c.set("spark.executor.extraJavaOptions", opts.toString());
        String tunables = System.getenv("GLIBC_TUNABLES");
        if (tunables != null) c.setExecutorEnv("GLIBC_TUNABLES", tunables);
        if (!local && spec.executors() > 0) {
            c.set("spark.executor.instances", Integer.toString(spec.executors()));
            if (master.startsWith("spark://")) {
                int cores = Integer.parseInt(spec.conf().getOrDefault("spark.executor.cores", "1"));
                c.set("spark.executor.cores", Integer.toString(cores));
                c.set("spark.cores.max", Integer.toString(cores * spec.executors()));
            }
        }
        if (spec.gpusPerTask() > 0) {
            String g = String.format(Locale.ROOT, "%s", trim(spec.gpusPerTask()));
            c.set("spark.task.resource.gpu.amount", g);
            c.set("spark.executor.resource.gpu.amount", Integer.toString((int) Math.ceil(spec.gpusPerTask())));
        }
        if (sparkHome != null) {
            c.set("spark.home", sparkHome.toString());
        }
        for (Map.Entry<String, String> e : spec.conf().entrySet()) c.set(e.getKey(), e.getValue());
        return c;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static boolean isLocalCluster(String master) {
        return master != null && master.strip().startsWith("local-cluster");
    }

    /**
     * {@code local-cluster[N,C,MB]} (Spark's multi-JVM test mode, used by the tests and the
     * benchmark) starts workers in this JVM that launch executor JVMs through Spark's launcher,
     * which wants a Spark distribution folder: an empty one does (its {@code jars/} is empty, the
     * executors get this JVM's class path through {@code spark.executor.extraClassPath}). The
     * workers find it through {@code spark.test.home}, read only in Spark's test mode.
     */
    private static Path localClusterHome() {
        try {
            Path home = Files.createTempDirectory("studio-spark-home");
            Files.createDirectories(home.resolve("jars"));
            Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
            System.setProperty("spark.testing", "true");
            System.setProperty("spark.test.home", home.toString());
            return home;
        } catch (IOException e) {
            throw new StudioException("cannot create a folder for Spark's local cluster: " + e.getMessage());
        }
    }

    private static String progress(Iterable<JobResult> rows, int total, long start) {
        int done = 0, failed = 0, skipped = 0;
        for (JobResult r : rows) {
            switch (r.status()) {
                case JobResult.DONE -> done++;
                case JobResult.FAILED -> failed++;
                default -> skipped++;
            }
        }
        int finished = done + failed + skipped;
        String s = String.format(
                Locale.ROOT,
                "batch: %d/%d finished (%d done, %d failed, %d skipped)",
                finished,
                total,
                done,
                failed,
                skipped);
        int worked = done + failed;
        if (worked > 0 && finished < total) {
            double secs = (System.nanoTime() - start) / 1e9 / worked * (total - finished);
            s += String.format(Locale.ROOT, ", about %d:%02d left", (long) secs / 60, (long) secs % 60);
        }
        return s;
    }

    private static List<JobResult> inJobOrder(List<BatchJob> jobs, Map<String, JobResult> rows, boolean all) {
        List<JobResult> out = new ArrayList<>();
        for (BatchJob j : jobs) {
            JobResult r = rows.get(j.id());
            if (r != null) out.add(r);
            else if (all) out.add(JobResult.failed(j.id(), "not rendered"));
        }
        return out;
    }

    /** Hidden {@code .<id>.mp4.*.part} files of attempts that died with their executor (no attempt runs now). */
    static void removeTemporaryFiles(Path out, List<BatchJob> jobs) {
        Set<String> ids = new HashSet<>();
        for (BatchJob j : jobs) ids.add(j.id());
        try (DirectoryStream<Path> s = Files.newDirectoryStream(out, p -> {
            String n = p.getFileName().toString();
            int mp4 = n.indexOf(".mp4.");
            return n.startsWith(".") && n.endsWith(".part") && mp4 > 1 && ids.contains(n.substring(1, mp4));
        })) {
            for (Path p : s) if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(p);
        } catch (IOException | RuntimeException ignored) {
            // best effort; a later run to the same output removes stale temporary files too
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | RuntimeException ignored) {
            // a temporary folder
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.toString() : m.lines().findFirst().orElse(m);
    }
}
