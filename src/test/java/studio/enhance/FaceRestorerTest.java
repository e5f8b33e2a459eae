package studio.enhance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import studio.face.Face;
import studio.image.Images;
import studio.job.InputException;
import studio.weights.CheckpointException;

/**
 * The restoration stage's geometry and mask, with stand-in networks instead of GFPGAN: an identity
 * network must give the frame back, a network that paints the face one colour must blend in
 * without a seam.
 */
class FaceRestorerTest {
    /** Five points hand-annotated on samples/astronaut.png (eye centres, nose tip, mouth corners). */
    static final double[][] ASTRONAUT_FIVE = {
        {203.75, 100.5}, {246.25, 103}, {222.5, 125.5}, {203, 141.25}, {243.75, 141.25}
    };
    /** The 256 test frame is the astronaut image's square (96, 0)–(352, 256), the 512 frame the same enlarged ×2. */
    static final int CROP_X = 96;

    @TempDir
    Path tmp;

    /** A Face whose 68 landmarks put the five points where given (eye rings collapsed on their centres). */
    static Face face(double[][] five) {
        double[] lm = new double[136];
        double cx = 0, cy = 0;
        for (double[] p : five) {
            cx += p[0] / 5;
            cy += p[1] / 5;
        }
        for (int i = 0; i < 68; i++) {
            lm[2 * i] = cx;
            lm[2 * i + 1] = cy;
        }
        int[][] at = {{36, 37, 38, 39, 40, 41}, {42, 43, 44, 45, 46, 47}, {30}, {48}, {54}};
        for (int k = 0; k < 5; k++)
            for (int i : at[k]) {
                lm[2 * i] = five[k][0];
                lm[2 * i + 1] = five[k][1];
            }
        return new Face(cx - 50, cy - 60, 100, 120, 1, lm);
    }

    static Face astronautFace(int size) {
        double f = size / 256.0;
        double[][] five = new double[5][];
        for (int i = 0; i < 5; i++)
            five[i] = new double[] {(ASTRONAUT_FIVE[i][0] - CROP_X) * f, ASTRONAUT_FIVE[i][1] * f};
        return face(five);
    }

    static BufferedImage astronautFrame(int size) throws IOException {
        BufferedImage full = ImageIO.read(Path.of("samples/astronaut.png").toFile());
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        var g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(full, 0, 0, size, size, CROP_X, 0, CROP_X + 256, 256, null);
        g.dispose();
        return out;
    }

    static BufferedImage flat(int size, int grey) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        int rgb = grey << 16 | grey << 8 | grey;
        for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) img.setRGB(x, y, rgb);
        return img;
    }

    static int grey(BufferedImage img, int x, int y) {
        return img.getRGB(x, y) >> 8 & 0xff; // green channel
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 512})
    void identityNetworkGivesTheFrameBack(int size) throws IOException {
        BufferedImage frame = astronautFrame(size);
        try (FaceRestorer r = FaceRestorer.withNetwork(faces -> faces, 1.0, astronautFace(size))) {
            BufferedImage out = r.restore(frame);
            assertEquals(size, out.getWidth());
            assertEquals(size, out.getHeight());
            FaceRestorer.PasteMask mask = FaceRestorer.PasteMask.square(r.pasteTransform(), size, size, 1.0, 1);
            byte[] a = Images.bgrBytes(frame), b = Images.bgrBytes(out);
            double all = 0, inFace = 0;
            long faceValues = 0;
            for (int i = 0; i < a.length; i++) {
                int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
                all += d;
                if (mask.soft[i / 3] > 0.5f) {
                    inFace += d;
                    faceValues++;
                }
            }
            all /= a.length;
            inFace /= faceValues;
            // the face covers a good part of the frame, and went through the network
            assertTrue(faceValues > a.length / 8, "face region " + faceValues / 3 + " px");
            assertTrue(all <= 2, "mean abs error over the frame " + all);
            assertTrue(inFace <= 2, "mean abs error over the face " + inFace);
        }
    }

    /**
     * SadTalker's enhancer doubles the frame: with an identity network the output is the frame resized
     * ×2, the pasted face lined up with the resized background to a fraction of a pixel (a face pasted
     * half a pixel off shows as a doubled edge all around it).
     */
    @Test
    void upscaleTwoDoublesTheFrameWithTheFaceInPlace() throws IOException {
        int size = 256;
        BufferedImage frame = astronautFrame(size);
        byte[] a = new byte[3 * 4 * size * size];
        try (Mat m = new Mat(size, size, opencv_core.CV_8UC3);
                Mat big = new Mat()) {
            m.data().put(Images.bgrBytes(frame)); // OpenCV's bilinear resize, as facexlib's background
            opencv_imgproc.resize(m, big, new Size(2 * size, 2 * size));
            big.data().get(a);
        }
        try (FaceRestorer r = FaceRestorer.withNetwork(faces -> faces, 1.0, 2, astronautFace(size))) {
            BufferedImage out = r.restore(frame);
            assertEquals(2 * size, out.getWidth());
            assertEquals(2 * size, out.getHeight());
            FaceRestorer.PasteMask mask = FaceRestorer.PasteMask.square(r.pasteTransform(), 2 * size, 2 * size, 1.0, 2);
            byte[] b = Images.bgrBytes(out);
            double inFace = 0;
            long faceValues = 0;
            for (int i = 0; i < a.length; i++)
                if (mask.soft[i / 3] > 0.5f) {
                    inFace += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
                    faceValues++;
                }
            inFace /= faceValues;
            assertTrue(faceValues > a.length / 8, "face region " + faceValues / 3 + " px");
            assertTrue(inFace <= 1.5, "mean abs error over the face " + inFace);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 512})
    void aRepaintedFaceBlendsInWithoutASeam(int size) {
        int background = 60;
        float paint = 0.6f; // network output → (0.6 + 1) * 127.5 = 204
        int painted = 204;
        try (FaceRestorer r =
                FaceRestorer.withNetwork(faces -> faces.zerosLike().add(paint), 1.0, astronautFace(size))) {
            BufferedImage out = r.restore(flat(size, background));
            var centre = centre(r.alignment());
            assertEquals(painted, grey(out, centre[0], centre[1]), 1, "the face centre shows the network's output");
            assertEquals(background, grey(out, 0, size - 1), "far from the face the frame is untouched");
            int maxStep = 0;
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++) {
                    if (x + 1 < size) maxStep = Math.max(maxStep, Math.abs(grey(out, x + 1, y) - grey(out, x, y)));
                    if (y + 1 < size) maxStep = Math.max(maxStep, Math.abs(grey(out, x, y + 1) - grey(out, x, y)));
                }
            int contrast = painted - background;
            // a hard paste would jump by the full contrast in one pixel; the feather spreads it over many
            assertTrue(maxStep <= 0.2 * contrast, "largest step between neighbours " + maxStep + " of " + contrast);
            // along a row through the face centre the blend rises monotonically to the face (no ring, no dip)
            int prev = grey(out, 0, centre[1]);
            for (int x = 1; x <= centre[0]; x++) {
                int v = grey(out, x, centre[1]);
                assertTrue(v >= prev - 1, "not monotone at x=" + x + ": " + prev + " → " + v);
                prev = v;
            }
        }
    }

    /** The template's nose point mapped into the frame. */
    private static int[] centre(FaceAlignment a) {
        double[] m = a.toFrame();
        double fx = 256, fy = 300;
        return new int[] {(int) Math.round(m[0] * fx + m[1] * fy + m[2]), (int) Math.round(m[3] * fx + m[4] * fy + m[5])
        };
    }

    @Test
    void strengthBlendsRestoredAndUnrestoredFace() {
        int size = 256;
        for (double strength : new double[] {0, 0.5}) {
            try (FaceRestorer r =
                    FaceRestorer.withNetwork(faces -> faces.zerosLike().add(0.6f), strength, astronautFace(size))) {
                BufferedImage out = r.restore(flat(size, 60));
                int[] c = centre(r.alignment());
                assertEquals(60 + strength * (204 - 60), grey(out, c[0], c[1]), 1.0, "strength " + strength);
            }
        }
    }

    @Test
    void batchesGiveWhatSingleFramesGive() throws IOException {
        BufferedImage a = astronautFrame(256), b = flat(256, 90);
        try (FaceRestorer r = FaceRestorer.withNetwork(faces -> faces.mul(0.5f), 1.0, astronautFace(256))) {
            List<BufferedImage> batch = r.restore(List.of(a, b));
            for (int i = 0; i < 2; i++) {
                byte[] one = Images.bgrBytes(r.restore(List.of(a, b).get(i))), many = Images.bgrBytes(batch.get(i));
                assertTrue(Arrays.equals(one, many), "frame " + i);
            }
        }
    }

    @Test
    void alignmentRecoversAKnownSimilarity() {
        // template points moved by a known similarity (scale 0.4, 12° rotation, shift) must map back onto the template
        double s = 0.4, t = Math.toRadians(12), tx = 31, ty = 17;
        double[][] five = new double[5][];
        for (int i = 0; i < 5; i++) {
            double x = FaceAlignment.FFHQ_TEMPLATE_512[i][0], y = FaceAlignment.FFHQ_TEMPLATE_512[i][1];
            five[i] = new double[] {
                s * (Math.cos(t) * x - Math.sin(t) * y) + tx, s * (Math.sin(t) * x + Math.cos(t) * y) + ty
            };
        }
        FaceAlignment a = FaceAlignment.of(face(five), 512);
        double[] m = a.toFace();
        for (int i = 0; i < 5; i++) {
            double x = m[0] * five[i][0] + m[1] * five[i][1] + m[2], y = m[3] * five[i][0] + m[4] * five[i][1] + m[5];
            assertEquals(FaceAlignment.FFHQ_TEMPLATE_512[i][0], x, 1e-2);
            assertEquals(FaceAlignment.FFHQ_TEMPLATE_512[i][1], y, 1e-2);
        }
        double[] inv = a.toFrame();
        assertEquals(s * Math.cos(t), inv[0], 1e-4);
        assertEquals(tx, inv[2], 1e-2);
    }

    @Test
    void aFaceWithoutLandmarksIsAClearError() {
        var e = assertThrows(
                InputException.class, () -> FaceRestorer.withNetwork(f -> f, 1, new Face(0, 0, 10, 10, 1, null)));
        assertTrue(e.getMessage().contains("68 landmarks"), e.getMessage());
    }

    @Test
    void aMissingCheckpointIsNamed() {
        var e = assertThrows(CheckpointException.class, () -> FaceRestorer.open(tmp, 1, 2, astronautFace(256)));
        assertTrue(
                e.getMessage().startsWith(tmp.resolve("GFPGANv1.4.pth").toString())
                        && e.getMessage().contains("not found"),
                e.getMessage());
    }

    @Test
    void aParsedMaskKeepsTheFaceClassesAndFeathersTheirBorder() {
        // face space: skin (class 1) inside a disc of radius 150 around the centre, hair (17) outside
        long[] labels = new long[512 * 512];
        for (int y = 0; y < 512; y++)
            for (int x = 0; x < 512; x++) labels[y * 512 + x] = Math.hypot(x - 256, y - 256) < 150 ? 1 : 17;
        float[] m = FaceRestorer.PasteMask.parsingToFaceMask(labels, 0);
        assertEquals(1f, m[256 * 512 + 256], 1e-3f, "inside the face");
        assertEquals(0f, m[256 * 512 + 480], 1e-3f, "hair");
        assertEquals(0f, m[5 * 512 + 256], 0f, "the 10-pixel border is cleared");
        float maxStep = 0;
        for (int x = 1; x < 512; x++) maxStep = Math.max(maxStep, Math.abs(m[256 * 512 + x] - m[256 * 512 + x - 1]));
        assertTrue(
                maxStep < 0.05f, "feathered: largest step " + maxStep); // two σ=11 blurs: about 1/(√(2π)·15.6) ≈ 0.026
        // neck (14), cloth (16), hair, hat and background are not pasted; eyes, nose, lips are
        long[] classes = new long[512 * 512];
        for (int c : new int[] {0, 14, 16, 17, 18}) {
            Arrays.fill(classes, c);
            assertEquals(
                    0f, FaceRestorer.PasteMask.parsingToFaceMask(classes, 0)[256 * 512 + 256], 1e-6f, "class " + c);
        }
        for (int c : new int[] {1, 4, 10, 12, 15}) {
            Arrays.fill(classes, c);
            assertEquals(
                    1f, FaceRestorer.PasteMask.parsingToFaceMask(classes, 0)[256 * 512 + 256], 1e-4f, "class " + c);
        }
    }
}
