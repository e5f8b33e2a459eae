package studio.batch;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code studio batch} was asked to do.
 *
 * @param master        a Spark master URL; {@code null} for the embedded {@code local[*]}
 * @param executors     0 = Spark's default (all cores locally, the whole cluster otherwise)
 * @param gpusPerTask   0 = no GPU scheduling; else {@code spark.task.resource.gpu.amount}
 * @param checkpointDir {@code null} = the default checkpoint folder (the same path on every executor)
 * @param conf          extra Spark settings, applied last
 */
public record BatchSpec(
        Path jobs,
        Path out,
        String master,
        int executors,
        double gpusPerTask,
        boolean ui,
        Path checkpointDir,
        Map<String, String> conf,
        boolean quiet) {
    public BatchSpec {
        conf = conf == null ? Map.of() : Map.copyOf(conf);
    }
}
