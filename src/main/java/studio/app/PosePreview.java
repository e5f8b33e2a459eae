package studio.app;

import java.util.concurrent.atomic.AtomicInteger;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import studio.audio.AudioFeatures;
import studio.motion.LandmarkMotion;
import studio.motion.LandmarkMotionOptions;
import studio.motion.LandmarkMotionPlanner;

/**
 * A small looping preview of a pose style's head motion: the built-in engine's planner
 * ({@link LandmarkMotionPlanner#plan}) on a few seconds of synthetic speech, drawn as a head outline
 * (face oval, eyes, nose, mouth and the face's centre line) turned by each frame's yaw, pitch and roll.
 * Planning runs off the FX thread when the style changes; drawing only repaints when the frame changes.
 */
final class PosePreview extends CanvasView {
    static final double SECONDS = 6;
    private static AudioFeatures speech;
    private final AtomicInteger ticket = new AtomicInteger();
    private volatile LandmarkMotion[] motion;
    private int shownFrame = -1;
    private long startNanos;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            LandmarkMotion[] m = motion;
            if (m == null || m.length == 0) return;
            if (startNanos == 0) startNanos = now;
            int frame = (int) ((now - startNanos) / (1_000_000_000L / AudioFeatures.FPS) % m.length);
            if (frame != shownFrame) {
                shownFrame = frame;
                draw();
            }
        }
    };

    PosePreview() {
        getStyleClass().add("pose-preview");
        // Runs only while shown: a rebuilt window (language switch) leaves no timer behind.
        sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) timer.start();
            else timer.stop();
        });
    }

    /** Plans the motion of {@code style} (and still mode) off the FX thread, then loops it. */
    void show(int style, boolean still, StudioWindow w) {
        int t = ticket.incrementAndGet();
        w.background(() -> {
            LandmarkMotion[] planned = plan(style, still);
            Platform.runLater(() -> {
                if (ticket.get() != t) return;
                motion = planned;
                startNanos = 0;
                shownFrame = -1;
                draw();
            });
        });
    }

    /** The motion being looped; null until the first plan is ready. */
    LandmarkMotion[] motion() {
        return motion;
    }

    /** The frame drawn last (-1 before the first). */
    int shownFrame() {
        return shownFrame;
    }

    static LandmarkMotion[] plan(int style, boolean still) {
        return LandmarkMotionPlanner.plan(speech(), new LandmarkMotionOptions(style, still, 1.0, false));
    }

    /**
     * Speech-like sound: a 130 Hz voice with harmonics, in syllables of about 0.2 s at 4–5 per second,
     * phrases of 1.5–2 s between short pauses, so speech-coupled motion (nods on stressed syllables) shows.
     */
    static synchronized AudioFeatures speech() {
        if (speech != null) return speech;
        int n = (int) (SECONDS * AudioFeatures.SAMPLE_RATE);
        float[] s = new float[n];
        double[] phraseEnds = {1.8, 2.3, 3.9, 4.3, 6.0}; // speech until 1.8 s, pause until 2.3 s, ...
        for (int i = 0; i < n; i++) {
            double t = i / (double) AudioFeatures.SAMPLE_RATE;
            boolean speaking = t < phraseEnds[0]
                    || (t >= phraseEnds[1] && t < phraseEnds[2])
                    || (t >= phraseEnds[3] && t < phraseEnds[4] - 0.3);
            if (!speaking) continue;
            double syllable = Math.pow(Math.max(0, Math.sin(Math.PI * 4.5 * t)), 2)
                    * (0.6 + 0.4 * Math.sin(2 * Math.PI * 0.9 * t + 1));
            double f0 = 130 * (1 + 0.08 * Math.sin(2 * Math.PI * 0.7 * t));
            double voice = 0;
            for (int h = 1; h <= 8; h++) voice += Math.sin(2 * Math.PI * f0 * h * t) / h;
            s[i] = (float) (0.25 * syllable * voice);
        }
        speech = AudioFeatures.of(s);
        return speech;
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h) {
        LandmarkMotion[] m = motion;
        if (m == null || m.length == 0 || w <= 0 || h <= 0) return;
        LandmarkMotion f = m[Math.max(0, shownFrame) % m.length];
        double r = Math.min(w, h) * 0.36;
        double cx = w / 2 + f.tx() * r, cy = h / 2 + f.ty() * r;
        double yaw = Math.toRadians(f.yaw()), pitch = Math.toRadians(f.pitch()), roll = Math.toRadians(f.roll());

        g.setStroke(Color.web("#9aa4b0"));
        g.setLineWidth(1.5);
        // The head's silhouette: an oval turned by the roll.
        g.save();
        g.translate(cx, cy);
        g.rotate(f.roll());
        g.strokeOval(-r * 0.82, -r, r * 1.64, r * 2);
        g.restore();

        // Facial features on the head's front, rotated in 3D and projected (orthographic).
        g.setStroke(Color.web("#ffcc00"));
        double[][] centreLine = new double[9][];
        for (int i = 0; i < 9; i++) {
            double a = Math.toRadians(-60 + 15 * i); // from the forehead to the chin over the face
            centreLine[i] = project(0, Math.sin(a), Math.cos(a), yaw, pitch, roll, cx, cy, r);
        }
        for (int i = 1; i < 9; i++)
            g.strokeLine(centreLine[i - 1][0], centreLine[i - 1][1], centreLine[i][0], centreLine[i][1]);
        g.setFill(Color.web("#ffcc00"));
        for (double side : new double[] {-0.36, 0.36}) {
            double[] eye = project(side, -0.18, 0.9, yaw, pitch, roll, cx, cy, r);
            if (eye[2] > 0) g.fillOval(eye[0] - 2.5, eye[1] - 2.5, 5, 5);
        }
        double[] nose = project(0, 0.15, 1.2, yaw, pitch, roll, cx, cy, r);
        g.fillOval(nose[0] - 2, nose[1] - 2, 4, 4);
        double[] left = project(-0.25, 0.48, 0.82, yaw, pitch, roll, cx, cy, r),
                right = project(0.25, 0.48, 0.82, yaw, pitch, roll, cx, cy, r);
        g.strokeLine(left[0], left[1], right[0], right[1]);
    }

    /**
     * A point of the unit head (x right, y down, z towards the viewer) turned by yaw (about y,
     * positive turns the face to image right), pitch (about x, positive chin down) and roll (about z,
     * clockwise), then projected: screen x, y and the depth (positive: facing the viewer).
     */
    static double[] project(
            double x, double y, double z, double yaw, double pitch, double roll, double cx, double cy, double r) {
        double x1 = x * Math.cos(yaw) + z * Math.sin(yaw), z1 = -x * Math.sin(yaw) + z * Math.cos(yaw);
        double y2 = y * Math.cos(pitch) + z1 * Math.sin(pitch), z2 = -y * Math.sin(pitch) + z1 * Math.cos(pitch);
        double x3 = x1 * Math.cos(roll) - y2 * Math.sin(roll), y3 = x1 * Math.sin(roll) + y2 * Math.cos(roll);
        return new double[] {cx + x3 * r * 0.82, cy + y3 * r, z2};
    }
}
