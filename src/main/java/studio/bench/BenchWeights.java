package studio.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import studio.job.StudioException;
import studio.weights.ModelCatalog;

/**
 * Where a neural benchmark's weights come from, the options every such benchmark shares (a picocli
 * mixin): the released files in the checkpoint folder ({@code --checkpoint-dir}, default
 * {@link ModelCatalog#defaultDir()}), or full-size procedural weights from a golden schema.json
 * ({@code --schema}; same cost, meaningless output).
 */
final class BenchWeights {
    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description =
                    "Folder with the released checkpoints (default: $STUDIO_CHECKPOINTS, else the app's checkpoints folder).")
    Path checkpointDir = ModelCatalog.defaultDir();

    @Option(
            names = "--schema",
            paramLabel = "FILE",
            description = "Full-size procedural weights for the keys of this golden schema.json instead (same cost).")
    Path schema;

    /** The schema when given (it must exist), else null: the checkpoint folder is used. */
    Path schema() {
        return existing(schema);
    }

    /** {@code schema} when given (it must exist), else null. */
    static Path existing(Path schema) {
        if (schema != null && !Files.isRegularFile(schema)) throw new StudioException("schema not found: " + schema);
        return schema;
    }

    boolean procedural() {
        return schema() != null;
    }

    Path checkpointDir() {
        return checkpointDir;
    }

    /** The one-line error for a benchmark whose weights are in neither place. */
    StudioException missing(String what) {
        return new StudioException(
                what + " not found in " + checkpointDir
                        + "; pass --checkpoint-dir DIR (the released files) or --schema FILE (procedural weights from a golden schema.json)");
    }
}
