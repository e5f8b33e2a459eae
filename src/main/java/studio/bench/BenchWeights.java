package studio.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import studio.job.StudioException;

/**
 * Where a neural benchmark's weights come from: the released files in the checkpoint folder
 * ({@code --checkpoint-dir}, default {@link studio.weights.ModelCatalog#defaultDir()}), or full-size
 * procedural weights from a golden schema.json ({@code --schema}; same cost, meaningless output).
 */
final class BenchWeights {
    private BenchWeights() {}

    /** {@code schema} when given (it must exist), else null: the caller then uses the checkpoint folder. */
    static Path schema(Path schema) {
        if (schema != null && !Files.isRegularFile(schema)) throw new StudioException("schema not found: " + schema);
        return schema;
    }

    /** The one-line error for a benchmark whose weights are in neither place. */
    static StudioException missing(String what, Path looked) {
        return new StudioException(
                what + " not found in " + looked
                        + "; pass --checkpoint-dir DIR (the released files) or --schema FILE (procedural weights from a golden schema.json)");
    }
}
