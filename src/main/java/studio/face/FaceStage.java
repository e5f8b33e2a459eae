package studio.face;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import studio.image.Images;
import studio.job.InputException;
import studio.weights.ModelCatalog;

/**
 * Face detection and 68-point landmarks with face-api's trained models (bundled under
 * {@code checkpoints/face-api/}), run on libtorch through DJL.
 *
 * <p>Face selection: when a picture holds several faces, the <b>primary face is the one with the
 * largest box area</b> (the nearest, most prominent face); equal areas go to the higher score.
 * {@link #detect} lists faces in that order.
 *
 * <p>Pictures larger than {@value #MAX_ANALYSIS_SIDE} px on their longer side are downscaled
 * (area interpolation) for analysis and the results mapped back to the original pixels.
 *
 * <p>Owns the libtorch memory of the models: close it when done. Safe to share between threads.
 */
public final class FaceStage implements AutoCloseable {
    /** Longer side above which pictures are analysed downscaled. */
    public static final int MAX_ANALYSIS_SIDE = 2048;

    /** face-api's detectors: SSD MobileNet v1 (default, most accurate) or the tiny YOLO one (faster). */
    public enum Detector {
        SSD_MOBILENET_V1,
        TINY
    }

    private final NDManager manager;
    private final FaceDetector detector;
    private final LandmarkNet landmarkNet;

    private FaceStage(NDManager manager, FaceDetector detector, LandmarkNet landmarkNet) {
        this.manager = manager;
        this.detector = detector;
        this.landmarkNet = landmarkNet;
    }

    /** SSD MobileNet v1 and the full landmark net from {@code checkpointsDir/face-api} (null: {@code checkpoints/}). */
    public static FaceStage open(Path checkpointsDir) {
        return open(checkpointsDir, Detector.SSD_MOBILENET_V1, false);
    }

    public static FaceStage open(Path checkpointsDir, Detector which, boolean tinyLandmarks) {
        Path dir = modelDir(checkpointsDir == null ? ModelCatalog.bundledDir() : checkpointsDir);
        NDManager m = NDManager.newBaseManager();
        try {
            FaceDetector d =
                    which == Detector.TINY ? new TinyFaceDetector(dir, m, 416, 0.5) : new SsdMobilenetV1(dir, m, 0.5);
            return new FaceStage(m, d, new LandmarkNet(dir, m, tinyLandmarks));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** {@code dir/face-api} when present, else {@code dir} itself (a folder holding the manifests). */
    static Path modelDir(Path checkpointsDir) {
        Path sub = checkpointsDir.resolve("face-api");
        return Files.isDirectory(sub) ? sub : checkpointsDir;
    }

    /** All faces with scores and 68 landmarks, in original pixels, largest box first. */
    public List<Face> detect(BufferedImage img) {
        int longer = Math.max(img.getWidth(), img.getHeight());
        double scale = 1;
        RgbImage rgb;
        if (longer > MAX_ANALYSIS_SIDE) {
            scale = (double) MAX_ANALYSIS_SIDE / longer;
            int w = Math.max(1, (int) Math.round(img.getWidth() * scale)),
                    h = Math.max(1, (int) Math.round(img.getHeight() * scale));
            try (Mat src = Images.toMat(img);
                    Mat small = new Mat();
                    Size size = new Size(w, h)) {
                resize(src, small, size, 0, 0, INTER_AREA);
                rgb = RgbImage.of(Images.toImage(small));
            }
            scale = (double) w / img.getWidth();
        } else {
            rgb = RgbImage.of(img);
        }
        List<Face> faces = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            for (Face f : detector.detect(rgb, scope)) {
                try (NDManager faceScope = scope.newSubManager()) {
                    double[] lm = landmarkNet.landmarks(rgb, f.x(), f.y(), f.width(), f.height(), faceScope);
                    if (lm == null) continue; // a box wholly outside the picture, as face-api drops it
                    faces.add(
                            scale == 1
                                    ? new Face(f.x(), f.y(), f.width(), f.height(), f.score(), lm)
                                    : rescale(f, lm, 1 / scale));
                }
            }
        }
        faces.sort(LARGEST_FIRST);
        return faces;
    }

    /** The documented selection order: largest box area first, then higher score. */
    public static final Comparator<Face> LARGEST_FIRST = Comparator.comparingDouble(Face::area)
            .reversed()
            .thenComparing(Comparator.comparingDouble(Face::score).reversed());

    /** The primary face (largest box); InputException "no face found in FILE" when there is none. */
    public Face primaryFace(BufferedImage img, Path sourceForMessages) {
        List<Face> faces = detect(img);
        if (faces.isEmpty()) throw new InputException("no face found in " + sourceForMessages);
        return faces.getFirst();
    }

    /** Below this detector score the face may be something else (a pattern, a statue, a mask). */
    static final double LOW_CONFIDENCE = 0.6;
    /** Mean face luminance (0-255) below which the photo is called very dark. */
    static final double DARK = 50;

    /**
     * The primary face, as {@link #primaryFace(BufferedImage, Path)}, and a one-line warning to
     * {@code warnings} for each thing that may spoil the result: other faces in the picture (and
     * which one is animated), a low detection score, a very dark face.
     */
    public Face primaryFace(BufferedImage img, Path sourceForMessages, Consumer<String> warnings) {
        List<Face> faces = detect(img);
        if (faces.isEmpty()) throw new InputException("no face found in " + sourceForMessages);
        Face f = faces.getFirst();
        String where = String.format("the face at %.0f,%.0f (%.0f×%.0f px)", f.x(), f.y(), f.width(), f.height());
        if (faces.size() > 1)
            warnings.accept(sourceForMessages + ": " + faces.size() + " faces found; animating the largest, " + where);
        if (f.score() < LOW_CONFIDENCE)
            warnings.accept(String.format(
                    "%s: the face was found with low confidence (%.2f); check that %s is a face",
                    sourceForMessages, f.score(), where));
        double luma = meanLuma(img, f);
        if (luma < DARK)
            warnings.accept(String.format(
                    "%s: the face is very dark (mean brightness %.0f of 255); brighten the photo for a better result",
                    sourceForMessages, luma));
        return f;
    }

    private static double meanLuma(BufferedImage img, Face f) {
        int x0 = Math.max(0, (int) f.x()), y0 = Math.max(0, (int) f.y());
        int x1 = Math.min(img.getWidth() - 1, (int) (f.x() + f.width())),
                y1 = Math.min(img.getHeight() - 1, (int) (f.y() + f.height()));
        double sum = 0;
        long n = 0;
        int step = Math.max(1, Math.min(x1 - x0, y1 - y0) / 64);
        for (int y = y0; y <= y1; y += step)
            for (int x = x0; x <= x1; x += step) {
                int rgb = img.getRGB(x, y);
                sum += 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
                n++;
            }
        return n == 0 ? 255 : sum / n;
    }

    private static Face rescale(Face f, double[] lm, double s) {
        double[] out = new double[lm.length];
        for (int i = 0; i < lm.length; i++) out[i] = lm[i] * s;
        return new Face(f.x() * s, f.y() * s, f.width() * s, f.height() * s, f.score(), out);
    }

    @Override
    public void close() {
        manager.close();
    }
}
