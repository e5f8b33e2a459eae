package studio.batch;

import java.io.Serializable;

/**
 * One row of {@code results.csv}.
 *
 * @param status  {@code done}, {@code failed} or {@code skipped}
 * @param output  the MP4 (empty when failed)
 * @param seconds the job's wall time on its executor
 * @param message the one-line error {@code render} prints for the same input (empty unless failed)
 */
public record JobResult(String id, String status, String output, String engine, double seconds, String message)
        implements Serializable {
    public static final String DONE = "done", FAILED = "failed", SKIPPED = "skipped";

    public static JobResult failed(String id, String message) {
        return new JobResult(id, FAILED, "", "", 0, message);
    }
}
