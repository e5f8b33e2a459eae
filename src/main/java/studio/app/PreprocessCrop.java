package studio.app;

import javafx.geometry.Rectangle2D;
import studio.face.CropGeometry;
import studio.face.Face;
import studio.face.FaceCrop;
import studio.face.Preprocess;

/**
 * The rectangle of the picture each preprocess mode animates, for the overlay: the face stage's
 * crop geometry ({@link FaceCrop#geometry}), its crop corners mapped back to picture pixels.
 * Pure arithmetic on the landmarks, so it is recomputed on the FX thread whenever the mode or size changes.
 */
final class PreprocessCrop {
    private PreprocessCrop() {}

    /** The crop in picture pixels; null when the face does not allow one (no landmarks, outside the picture). */
    static Rectangle2D region(int width, int height, Face face, Preprocess mode, int size) {
        CropGeometry g;
        try {
            g = FaceCrop.geometry(width, height, face, mode, size);
        } catch (IllegalArgumentException e) {
            AppLog.warn("no " + mode.id() + " crop for this face: " + e.getMessage());
            return null;
        }
        double[] topLeft = g.toImage(0, 0), bottomRight = g.toImage(size, size);
        return new Rectangle2D(topLeft[0], topLeft[1], bottomRight[0] - topLeft[0], bottomRight[1] - topLeft[1]);
    }
}
