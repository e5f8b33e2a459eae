package studio.batch;

import java.io.Serializable;
import java.util.Map;

/**
 * One line of the JOBS file, as sent to an executor: absolute input paths (relative ones are
 * resolved against the JOBS file's folder) and the render options by their snake_case names.
 *
 * @param source the JOBS file's name, for messages
 * @param line   the line the job starts on
 */
public record BatchJob(String id, String source, int line, String image, String audio, Map<String, String> options)
        implements Serializable {
    public BatchJob {
        options = Map.copyOf(options);
    }

    /** {@code jobs.csv line 4}, the prefix of messages about this job. */
    public String where() {
        return source + " line " + line;
    }
}
