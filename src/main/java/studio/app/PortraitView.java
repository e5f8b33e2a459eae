package studio.app;

import javafx.geometry.Rectangle2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.paint.Color;
import studio.face.Face;

/**
 * The portrait, fitted into the area, with the detected face box, its 68 landmarks and the crop of
 * the chosen preprocess mode drawn over it (when a face analysis is available), framed as the video
 * will be: the crop alone, or the whole picture.
 */
public final class PortraitView extends CanvasView {
    private Image image;
    private Face face;
    private Rectangle2D crop;
    /** True when the video is the whole picture (the full modes paste the animated crop back). */
    private boolean wholePicture;

    public PortraitView() {
        getStyleClass().add("portrait-view");
    }

    public void setImage(Image image) {
        this.image = image;
        this.face = null;
        this.crop = null;
        requestLayout();
        draw();
    }

    public Image image() {
        return image;
    }

    public Face face() {
        return face;
    }

    public Rectangle2D crop() {
        return crop;
    }

    public boolean wholePicture() {
        return wholePicture;
    }

    /** Face and crop in the image's pixel coordinates; null hides them. */
    public void setOverlay(Face face, Rectangle2D crop) {
        setOverlay(face, crop, false);
    }

    /**
     * As {@link #setOverlay(Face, Rectangle2D)}, showing the output's framing: where the video is the
     * crop, the rest of the picture is dimmed (it will not be in the video); where it is the whole
     * picture, the picture keeps its light and gets a solid frame, the crop (dashed) being the part
     * that moves.
     */
    public void setOverlay(Face face, Rectangle2D crop, boolean wholePicture) {
        this.face = face;
        this.crop = crop;
        this.wholePicture = wholePicture;
        draw();
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        if (image == null || w <= 0 || h <= 0) return;
        double s = Math.min(w / image.getWidth(), h / image.getHeight());
        double ox = (w - image.getWidth() * s) / 2, oy = (h - image.getHeight() * s) / 2;
        g.drawImage(image, ox, oy, image.getWidth() * s, image.getHeight() * s);
        double iw = image.getWidth() * s, ih = image.getHeight() * s;
        if (crop != null && !wholePicture) {
            double cx = ox + crop.getMinX() * s, cy = oy + crop.getMinY() * s;
            double cw = crop.getWidth() * s, ch = crop.getHeight() * s;
            g.setFill(Color.rgb(0, 0, 0, 0.55));
            // the four bands around the crop, clipped to the picture
            // on whole pixels, so neighbouring bands neither overlap nor leave a seam
            double x0 = Math.round(ox), y0 = Math.round(oy), x1 = Math.round(ox + iw), y1 = Math.round(oy + ih);
            double left = Math.max(x0, Math.min(Math.round(cx), x1)),
                    right = Math.min(x1, Math.max(Math.round(cx + cw), x0));
            double top = Math.max(y0, Math.min(Math.round(cy), y1)),
                    bottom = Math.min(y1, Math.max(Math.round(cy + ch), y0));
            g.fillRect(x0, y0, x1 - x0, top - y0);
            g.fillRect(x0, bottom, x1 - x0, y1 - bottom);
            g.fillRect(x0, top, left - x0, bottom - top);
            g.fillRect(right, top, x1 - right, bottom - top);
        }
        if (crop != null && wholePicture) {
            g.setStroke(Color.web("#33bbff"));
            g.setLineWidth(3);
            g.strokeRect(ox + 1.5, oy + 1.5, iw - 3, ih - 3);
        }
        if (crop != null) {
            g.setStroke(Color.web("#ffcc00"));
            g.setLineWidth(2);
            g.setLineDashes(6, 4);
            g.strokeRect(ox + crop.getMinX() * s, oy + crop.getMinY() * s, crop.getWidth() * s, crop.getHeight() * s);
            g.setLineDashes();
        }
        if (face != null) {
            g.setStroke(Color.web("#33dd66"));
            g.setLineWidth(1.5);
            g.strokeRect(ox + face.x() * s, oy + face.y() * s, face.width() * s, face.height() * s);
            if (face.landmarks() != null) {
                g.setFill(Color.web("#ff4466"));
                for (int i = 0; i < face.landmarks().length / 2; i++) {
                    g.fillOval(ox + face.lx(i) * s - 1.5, oy + face.ly(i) * s - 1.5, 3, 3);
                }
            }
        }
    }
}
