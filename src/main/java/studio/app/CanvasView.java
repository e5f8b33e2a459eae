package studio.app;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/** A region filled by one canvas, repainted on a dark background whenever it is resized or {@link #draw()} is called. */
public abstract class CanvasView extends Region {
    private static final Color BACKGROUND = Color.web("#2b2b2b");
    private final Canvas canvas = new Canvas();

    protected CanvasView() {
        getChildren().add(canvas);
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    /** Clears to the background, then paints the content. */
    protected final void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        g.setFill(BACKGROUND);
        g.fillRect(0, 0, w, h);
        paint(g, w, h);
    }

    /** Paints the content over the background of a {@code w} x {@code h} canvas. */
    protected abstract void paint(GraphicsContext g, double w, double h);
}
