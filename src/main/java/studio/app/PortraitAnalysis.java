package studio.app;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Rectangle2D;
import studio.face.Face;
import studio.face.FaceStage;
import studio.pipeline.RenderOptions.Preprocess;

/**
 * What the inputs area draws over the portrait: the detected face with its 68 landmarks (the face
 * stage, face-api models from the checkpoint folder) and the crop the chosen preprocess mode takes.
 * The face stage is opened once and kept (it is thread-safe); analysis runs off the FX thread.
 */
final class PortraitAnalysis {
    private static FaceStage stage;
    private static Path stageDir;

    private PortraitAnalysis() {}

    record Result(Face face, Rectangle2D crop, String problem) {
        static Result failed(String problem) {
            return new Result(null, null, problem);
        }
    }

    /** Finds the primary face (largest) and the crop of {@code mode}; a Result with a problem when there is none. */
    static Result analyse(BufferedImage image, Preprocess mode, Path checkpointDir) {
        List<Face> faces = faceStage(checkpointDir).detect(image);
        if (faces.isEmpty()) return Result.failed(Messages.t("inputs.face.noneInPicture"));
        Face face = faces.getFirst();
        return new Result(face, PreprocessCrop.region(image.getWidth(), image.getHeight(), face, mode), null);
    }

    private static synchronized FaceStage faceStage(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (stage == null || !abs.equals(stageDir)) {
            if (stage != null) stage.close();
            stage = null;
            stage = FaceStage.open(abs);
            stageDir = abs;
        }
        return stage;
    }
}
