package studio.app;

import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;

/** The input clip's waveform (peak per pixel column). */
public final class WaveformView extends CanvasView {
    private AudioClip clip;

    public void setAudio(AudioClip clip) {
        this.clip = clip;
        draw();
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        if (clip == null || w < 1) return;
        float[] peaks = clip.peaks((int) w);
        g.setStroke(Color.web("#4fa3ff"));
        g.setLineWidth(1);
        double mid = h / 2;
        for (int x = 0; x < peaks.length; x++) {
            double a = Math.max(0.5, peaks[x] * (h / 2 - 2));
            g.strokeLine(x + 0.5, mid - a, x + 0.5, mid + a);
        }
    }
}
