package studio.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import studio.weights.ModelCatalog;

/** The checkpoint folder option, one for every command that reads model files ({@code @Mixin}). */
public final class CheckpointDirOption {
    @Option(
            names = {"--checkpoint-dir", "--checkpoint_dir", "--dir"},
            paramLabel = "DIR",
            description = "Folder with the model files (default: $STUDIO_CHECKPOINTS, else <install>/checkpoints).")
    Path dir;

    /** The folder named on the command line, else {@link ModelCatalog#defaultDir()}. */
    public Path dir() {
        return dir != null ? dir : ModelCatalog.defaultDir();
    }
}
