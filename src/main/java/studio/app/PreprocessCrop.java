package studio.app;

import javafx.geometry.Rectangle2D;
import studio.face.Face;
import studio.pipeline.RenderOptions.Preprocess;

/**
 * The rectangle of the picture each preprocess mode animates, for the overlay. Until the face
 * stage's crop geometry ({@code studio.face.FaceCrop}) is in this build this is unknown (null).
 */
final class PreprocessCrop {
    private PreprocessCrop() {}

    static Rectangle2D region(int width, int height, Face face, Preprocess mode) {
        return null;
    }
}
