package studio.app;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javafx.geometry.Rectangle2D;
import studio.face.Face;
import studio.pipeline.RenderOptions.Preprocess;

/**
 * What the inputs area draws over the portrait: the detected face with its landmarks and the crop
 * the chosen preprocess mode would take. Needs the face stage ({@code studio.face.FaceStage});
 * builds without it report {@link #available()} false and the UI says so.
 */
final class PortraitAnalysis {
    private PortraitAnalysis() {}

    record Result(Face face, Rectangle2D crop, String problem) {
        static Result failed(String problem) {
            return new Result(null, null, problem);
        }
    }

    static boolean available() {
        return false;
    }

    static Result analyse(BufferedImage image, Preprocess mode, Path checkpointDir) {
        throw new IllegalStateException("no face stage in this build");
    }
}
