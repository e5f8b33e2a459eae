package studio.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code studio batch JOBS --out DIR}: every job of a CSV or JSON-lines file rendered on Apache
 * Spark. This class holds no Spark type: picocli creates it for every command line, and Spark is
 * loaded only when {@link #call()} reaches {@link SparkBatch}.
 */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Render every job of a CSV (header row) or JSON-lines file on Apache Spark: embedded on this PC, or a cluster.",
            "Columns/keys: id, image, audio and any render option by its CLI name (pose_style, preprocess, still, size,"
                    + " enhancer, expression_scale, engine, ...); paths relative to JOBS.",
            "Writes DIR/<id>.mp4 (each only when complete) and DIR/results.csv; jobs whose output is already valid are"
                    + " skipped, so a rerun resumes."
        })
public final class BatchCommand implements Callable<Integer> {
    /** Exit code when the batch ran but some jobs failed (see results.csv). */
    public static final int EXIT_SOME_FAILED = 3;

    @Parameters(index = "0", paramLabel = "JOBS", description = "Jobs file (.csv, or .jsonl / .json lines).")
    Path jobs;

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "DIR",
            description = "Output folder (created if missing; the same path on every executor for a cluster).")
    Path out;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "Spark master: spark://host:7077 (standalone), k8s://..., local[N] (default: local[*], embedded).")
    String master;

    @Option(
            names = "--executors",
            paramLabel = "N",
            defaultValue = "0",
            description = "Executors (locally: jobs rendered at once); default: all cores / the whole cluster.")
    int executors;

    @Option(
            names = "--gpus-per-task",
            paramLabel = "G",
            defaultValue = "0",
            description = "GPUs per job on a cluster with GPU scheduling (spark.task.resource.gpu.amount); 0 = none.")
    double gpusPerTask;

    @Option(names = "--ui", description = "Turn Spark's web UI on for a local run (always on for a cluster).")
    boolean ui;

    @Option(
            names = {"--checkpoint-dir", "--dir"},
            paramLabel = "DIR",
            description =
                    "Checkpoint folder, the same path on every executor (default: $STUDIO_CHECKPOINTS or <install>/checkpoints).")
    Path checkpointDir;

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description = "Any Spark setting, e.g. --conf spark.executor.memory=4g (repeatable).")
    Map<String, String> conf;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() {
        BatchSpec spec = new BatchSpec(jobs, out, master, executors, gpusPerTask, ui, checkpointDir, conf, quiet);
        long start = System.nanoTime();
        List<JobResult> rows = SparkBatch.run(spec, System.err);
        int done = 0, failed = 0, skipped = 0;
        for (JobResult r : rows) {
            switch (r.status()) {
                case JobResult.DONE -> done++;
                case JobResult.FAILED -> {
                    failed++;
                    System.err.println("failed: " + r.id() + ": " + r.message());
                }
                default -> skipped++;
            }
        }
        System.out.printf(
                "batch: %d jobs, %d done, %d failed, %d skipped in %.1f s; results in %s%n",
                rows.size(), done, failed, skipped, (System.nanoTime() - start) / 1e9, out.resolve(ResultsFile.NAME));
        return failed > 0 ? EXIT_SOME_FAILED : 0;
    }
}
