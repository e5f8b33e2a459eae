package studio.render.builtin;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.Rectangle;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoublePredicate;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.global.opencv_video;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.TermCriteria;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioFeatures;
import studio.face.Face;
import studio.face.Preprocess;
import studio.job.Cancellation;
import studio.job.CancelledException;
import studio.job.JobContext;
import studio.job.ProgressListener;
import studio.job.StudioException;
import studio.motion.LandmarkMotion;
import studio.motion.LandmarkMotionOptions;
import studio.motion.SpokenSamples;
import studio.render.RenderInput;

class BuiltinEngineTest {
    static BufferedImage portrait;
    static double[] landmarks;
    static AudioFeatures speech, shortClip;

    @BeforeAll
    static void setUp(@TempDir Path dir) throws Exception {
        portrait = BuiltinFixtures.astronaut();
        landmarks = BuiltinFixtures.astronautLandmarks();
        speech = SpokenSamples.features(
                SpokenSamples.speak(dir, "s", "Please call me back before noon, I have a lot to tell you."));
        shortClip = SpokenSamples.features(Arrays.copyOf(speech.samples(), 20 * AudioFeatures.SAMPLES_PER_FRAME));
    }

    static BuiltinEngine.Options options(Preprocess mode, int size, int style, boolean still, boolean blink) {
        return new BuiltinEngine.Options(new LandmarkMotionOptions(style, still, 1.0, blink), mode, size);
    }

    static RenderInput input(AudioFeatures audio) {
        return new RenderInput(Path.of("astronaut.png"), portrait, new Face(181, 73, 83, 102, 0.96, landmarks), audio);
    }

    static List<BufferedImage> render(AudioFeatures audio, BuiltinEngine.Options o) {
        List<BufferedImage> frames = new ArrayList<>();
        try (BuiltinEngine e = new BuiltinEngine(o)) {
            e.render(input(audio), frames::add, JobContext.quiet());
        }
        return frames;
    }

    static byte[] bytes(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    @Test
    void everyModeAndSizeGivesOneFramePerAudioFrame() {
        for (Preprocess mode : Preprocess.values()) {
            for (int size : new int[] {256, 512}) {
                List<BufferedImage> frames = render(shortClip, options(mode, size, 0, false, true));
                assertEquals(shortClip.numFrames(), frames.size(), mode + " " + size);
                int w = mode.pastesBack() ? portrait.getWidth() : size,
                        h = mode.pastesBack() ? portrait.getHeight() : size;
                for (BufferedImage f : frames) {
                    assertEquals(w, f.getWidth(), mode + " " + size);
                    assertEquals(h, f.getHeight(), mode + " " + size);
                    assertEquals(BufferedImage.TYPE_3BYTE_BGR, f.getType());
                }
            }
        }
    }

    @Test
    void everyPoseStyleRendersAndMovesTheHead() {
        for (int style = 0; style <= 45; style++) {
            List<BufferedImage> frames = render(speech, options(Preprocess.CROP, 256, style, false, false));
            assertEquals(speech.numFrames(), frames.size());
            assertFalse(Arrays.equals(bytes(frames.get(0)), bytes(frames.get(frames.size() - 1))), "style " + style);
        }
    }

    @Test
    void sameInputsGiveBitIdenticalFrames() {
        BuiltinEngine.Options o = options(Preprocess.CROP, 256, 11, false, true);
        List<BufferedImage> a = render(speech, o), b = render(speech, o);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(bytes(a.get(i)), bytes(b.get(i)), "frame " + i);
    }

    @Test
    void cancellationStopsTheRender() {
        Cancellation c = new Cancellation();
        List<BufferedImage> frames = new ArrayList<>();
        try (BuiltinEngine e = new BuiltinEngine(options(Preprocess.CROP, 256, 0, false, true))) {
            assertThrows(
                    CancelledException.class,
                    () -> e.render(
                            input(speech),
                            f -> {
                                frames.add(f);
                                if (frames.size() == 3) c.cancel();
                            },
                            new JobContext(ProgressListener.NONE, c)));
        }
        assertTrue(frames.size() < speech.numFrames());
    }

    @Test
    void missingLandmarksAreAClearError() {
        RenderInput in =
                new RenderInput(Path.of("astronaut.png"), portrait, new Face(1, 1, 10, 10, 0.9, null), shortClip);
        var e = assertThrows(
                StudioException.class,
                () -> new BuiltinEngine(options(Preprocess.CROP, 256, 0, false, true))
                        .render(in, f -> {}, JobContext.quiet()));
        assertTrue(e.getMessage().contains("astronaut.png"), e.getMessage());
    }

    /** The closed polygon through points {@code idx} of {@code pts} (x0,y0,x1,y1,...). */
    static Path2D.Double polygon(double[] pts, int... idx) {
        Path2D.Double poly = new Path2D.Double();
        for (int k = 0; k < idx.length; k++) {
            if (k == 0) poly.moveTo(pts[2 * idx[k]], pts[2 * idx[k] + 1]);
            else poly.lineTo(pts[2 * idx[k]], pts[2 * idx[k] + 1]);
        }
        poly.closePath();
        return poly;
    }

    /** Luminance of the pixels inside the polygon through points {@code idx} of {@code pts}. */
    static double[] lumaInside(BufferedImage img, double[] pts, int... idx) {
        Path2D.Double poly = polygon(pts, idx);
        Rectangle r = poly.getBounds();
        byte[] b = bytes(img);
        List<Double> out = new ArrayList<>();
        for (int y = Math.max(0, r.y); y <= Math.min(img.getHeight() - 1, r.y + r.height); y++)
            for (int x = Math.max(0, r.x); x <= Math.min(img.getWidth() - 1, r.x + r.width); x++) {
                if (!poly.contains(x, y)) continue;
                int i = 3 * (y * img.getWidth() + x);
                out.add(0.114 * (b[i] & 0xff) + 0.587 * (b[i + 1] & 0xff) + 0.299 * (b[i + 2] & 0xff));
            }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double fraction(double[] v, DoublePredicate p) {
        return Arrays.stream(v).filter(p).count() / (double) v.length;
    }

    /** Share of teeth-coloured pixels (bright and nearly grey, unlike pink lips) between the photo's inner lips. */
    static double teeth(BufferedImage img, double[] lm) {
        Path2D.Double poly = polygon(lm, 60, 61, 62, 63, 64, 65, 66, 67);
        Rectangle r = poly.getBounds();
        byte[] b = bytes(img);
        int n = 0, white = 0;
        for (int y = r.y; y <= r.y + r.height; y++)
            for (int x = r.x; x <= r.x + r.width; x++) {
                if (!poly.contains(x, y)) continue;
                int i = 3 * (y * img.getWidth() + x);
                int bl = b[i] & 0xff, g = b[i + 1] & 0xff, red = b[i + 2] & 0xff;
                n++;
                if (Math.min(bl, Math.min(g, red)) > 140 && red - bl < 45) white++;
            }
        return white / (double) n;
    }

    @Test
    void openMouthShowsACavityAndTeethAndRestCloses() {
        try (FaceAnimator a = new FaceAnimator(portrait, landmarks)) {
            LandmarkMotion wide = new LandmarkMotion(0.3, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            BufferedImage open = a.frame(wide);
            double[] inner = lumaInside(open, a.rig().targetPoints(wide), 60, 61, 62, 63, 64, 65, 66, 67);
            double dark = fraction(inner, v -> v < 50), bright = fraction(inner, v -> v > 150);
            System.out.printf("open mouth: %.2f dark cavity, %.2f teeth%n", dark, bright);
            assertTrue(dark > 0.25, "no dark cavity: " + dark);
            assertTrue(bright > 0.08 && bright < 0.6, "no hint of teeth: " + bright);
            // At rest the lips meet: the teeth of the photographed smile are covered by lips
            BufferedImage closed = a.frame(LandmarkMotion.REST);
            double teethBefore = teeth(portrait, landmarks), teethAfter = teeth(closed, landmarks);
            System.out.printf("rest: teeth %.2f -> %.2f%n", teethBefore, teethAfter);
            assertTrue(teethBefore > 0.3, "the photo shows teeth: " + teethBefore);
            // face-api's inner-lip points sit a little inside the lips, so a seam of teeth may
            // stay where the lips meet; most of what the smile showed must be covered
            assertTrue(teethAfter < 0.4 * teethBefore, "the lips do not close: " + teethAfter);
        }
    }

    /**
     * Rigid motion (rotation in degrees, shift in pixels) of the upper face between the first
     * frame and {@code frame}, measured on the pixels by OpenCV's ECC alignment (Euclidean model)
     * over the eyes, brows, forehead and hair: independent of the rig's own numbers.
     */
    static double[] headMotion(BufferedImage first, BufferedImage frame, double[] lm) {
        int w = first.getWidth(), h = first.getHeight();
        try (Mat a = gray(first);
                Mat b = gray(frame);
                Mat mask = new Mat(h, w, opencv_core.CV_8UC1, new Scalar(0));
                Mat warp = Mat.eye(2, 3, opencv_core.CV_32F).asMat()) {
            double top = Math.max(0, lm[2 * 19 + 1] - 60), bottom = lm[2 * 33 + 1];
            double left = Math.max(0, lm[0] - 10), right = Math.min(w - 1, lm[32] + 10);
            opencv_imgproc.rectangle(
                    mask,
                    new Point((int) left, (int) top),
                    new Point((int) right, (int) bottom),
                    new Scalar(255),
                    -1,
                    8,
                    0);
            opencv_video.findTransformECC(
                    a, b, warp, opencv_video.MOTION_EUCLIDEAN, new TermCriteria(3, 100, 1e-6), mask, 5);
            try (FloatIndexer m = warp.createIndexer()) {
                return new double[] {
                    Math.toDegrees(Math.atan2(m.get(1, 0), m.get(0, 0))), Math.hypot(m.get(0, 2), m.get(1, 2))
                };
            }
        }
    }

    static Mat gray(BufferedImage img) {
        try (Mat bgr = new Mat(img.getHeight(), img.getWidth(), opencv_core.CV_8UC3)) {
            bgr.data().put(bytes(img), 0, bytes(img).length);
            Mat g = new Mat();
            opencv_imgproc.cvtColor(bgr, g, opencv_imgproc.COLOR_BGR2GRAY);
            return g;
        }
    }

    @Test
    void stillModeMovesTheHeadLessThanOneDegree() {
        double iod = new FaceRig(landmarks, portrait.getWidth(), portrait.getHeight()).iod();
        for (boolean still : new boolean[] {true, false}) {
            List<BufferedImage> frames = render(speech, options(Preprocess.FULL, 256, 17, still, false));
            double maxAngle = 0, maxShift = 0;
            for (BufferedImage f : frames) {
                double[] m = headMotion(frames.get(0), f, landmarks);
                maxAngle = Math.max(maxAngle, Math.abs(m[0]));
                maxShift = Math.max(maxShift, m[1]);
            }
            System.out.printf(
                    "still=%s: head rotates up to %.2f degrees, shifts up to %.2f px (%.3f IOD)%n",
                    still, maxAngle, maxShift, maxShift / iod);
            if (still) {
                assertTrue(maxAngle < 1, "still mode rolls the head by " + maxAngle + " degrees");
                // 1 degree of yaw or pitch about a pivot ~1.1 IOD behind the eyes moves them 0.02 IOD
                assertTrue(maxShift < 0.02 * iod, "still mode shifts the head by " + maxShift + " px");
            } else {
                assertTrue(maxAngle > 1 || maxShift > 0.05 * iod, "the measurement sees the head move when not still");
            }
        }
    }
}
