package studio.app;

import javafx.geometry.Rectangle2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.paint.Color;
import studio.face.Face;

/**
 * The portrait, fitted into the area, with the detected face box, its 68 landmarks and the crop of
 * the chosen preprocess mode drawn over it (when a face analysis is available).
 */
public final class PortraitView extends CanvasView {
    private Image image;
    private Face face;
    private Rectangle2D crop;

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

    /** Face and crop in the image's pixel coordinates; null hides them. */
    public void setOverlay(Face face, Rectangle2D crop) {
        this.face = face;
        this.crop = crop;
        draw();
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        if (image == null || w <= 0 || h <= 0) return;
        double s = Math.min(w / image.getWidth(), h / image.getHeight());
        double ox = (w - image.getWidth() * s) / 2, oy = (h - image.getHeight() * s) / 2;
        g.drawImage(image, ox, oy, image.getWidth() * s, image.getHeight() * s);
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
