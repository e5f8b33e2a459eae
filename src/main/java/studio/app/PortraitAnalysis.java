package studio.app;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Rectangle2D;
import studio.face.Face;
import studio.face.FaceStage;
import studio.face.Preprocess;
import studio.weights.ModelCatalog;

/**
 * What the inputs area draws over the portrait: the detected face with its 68 landmarks (the face
 * stage, face-api models from the checkpoint folder, else the bundled ones, as the render finds
 * them: {@link ModelCatalog#faceModels(Path)}); the crop of the chosen preprocess mode is
 * derived from it ({@link PreprocessCrop}). The face stage is opened once and kept (it is thread-safe); analysis runs off the FX thread.
 */
final class PortraitAnalysis {
    private static FaceStage stage;
    private static Path stageDir;

    private PortraitAnalysis() {}

    /** The primary face of a picture of {@code width}×{@code height}, or why there is none. */
    record Result(Face face, int width, int height, String problem) {
        static Result failed(String problem) {
            return new Result(null, 0, 0, problem);
        }

        /** The crop {@code mode} takes at {@code size} (cheap: recomputed when the options change); null without a face. */
        Rectangle2D crop(Preprocess mode, int size) {
            return face == null || mode == null ? null : PreprocessCrop.region(width, height, face, mode, size);
        }
    }

    /** Finds the primary face (largest); a Result with a problem when there is none. */
    static Result analyse(BufferedImage image, Path checkpointDir) {
        List<Face> faces = faceStage(checkpointDir).detect(image);
        if (faces.isEmpty()) return Result.failed(Messages.t("inputs.face.noneInPicture"));
        return new Result(faces.getFirst(), image.getWidth(), image.getHeight(), null);
    }

    private static synchronized FaceStage faceStage(Path dir) {
        Path abs = ModelCatalog.faceModels(dir).toAbsolutePath().normalize();
        if (stage == null || !abs.equals(stageDir)) {
            if (stage != null) stage.close();
            stage = null;
            stage = FaceStage.open(abs);
            stageDir = abs;
        }
        return stage;
    }
}
