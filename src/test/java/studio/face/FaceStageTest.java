package studio.face;

import static org.bytedeco.opencv.global.opencv_core.CV_16UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.image.Images;
import studio.job.InputException;

/** Face selection, error messages and the picture formats the loader must handle. */
class FaceStageTest {
    static final Path FACE = Path.of("src/test/resources/face");
    static final Path ASTRONAUT = Path.of("samples/astronaut.png");
    private static FaceStage stage;

    @BeforeAll
    static void open() {
        stage = FaceStage.open(Path.of("checkpoints"));
    }

    @AfterAll
    static void close() {
        stage.close();
    }

    @Test
    void pictureWithoutFaceNamesTheFile() {
        Path file = FACE.resolve("no-face.png");
        InputException e = assertThrows(InputException.class, () -> stage.primaryFace(Portrait.load(file), file));
        assertEquals("no face found in " + file, e.getMessage());
    }

    @Test
    void twoFacesPicksTheLargest() {
        Path file = FACE.resolve("two-faces.png");
        BufferedImage img = Portrait.load(file);
        List<Face> faces = stage.detect(img);
        assertEquals(2, faces.size());
        Face primary = stage.primaryFace(img, file);
        // the 512 px copy is on the left (x < 512), the 320 px copy on the right
        assertTrue(primary.x() + primary.width() < 512, "primary face " + primary + " should be the left, larger one");
        assertTrue(faces.get(1).x() > 512, "second face on the right");
        assertTrue(primary.area() > 2 * faces.get(1).area());
        assertEquals(primary.x(), faces.getFirst().x());
        assertEquals(primary.y(), faces.getFirst().y());
    }

    @Test
    void warnsAboutOtherFacesAndDarkPhotos() {
        Path file = FACE.resolve("two-faces.png");
        BufferedImage img = Portrait.load(file);
        List<String> warnings = new ArrayList<>();
        Face primary = stage.primaryFace(img, file, warnings::add);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(
                warnings.getFirst().startsWith(file + ": 2 faces found; animating the largest, the face at "),
                warnings.getFirst());
        assertTrue(
                warnings.getFirst().contains(String.format("%.0f,%.0f", primary.x(), primary.y())),
                warnings.getFirst());

        Path astronaut = Path.of("samples/astronaut.png");
        BufferedImage dark = Images.bgr(Portrait.load(astronaut));
        byte[] px = ((DataBufferByte) dark.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) px[i] = (byte) ((px[i] & 0xff) / 6);
        warnings.clear();
        stage.primaryFace(dark, astronaut, warnings::add);
        assertTrue(
                warnings.stream().anyMatch(w -> w.startsWith(astronaut + ": the face is very dark (mean brightness")),
                warnings.toString());
        warnings.clear();
        stage.primaryFace(Portrait.load(astronaut), astronaut, warnings::add);
        assertEquals(List.of(), warnings, "a clear single-face photo gets no warning");
    }

    @Test
    void nonImageIsRejectedWithTheFileName(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "this is not a picture");
        InputException e = assertThrows(InputException.class, () -> Portrait.load(text));
        assertEquals(text + ": not an image", e.getMessage());
        Path missing = dir.resolve("missing.jpg");
        assertEquals(
                missing + ": file not found",
                assertThrows(InputException.class, () -> Portrait.load(missing)).getMessage());
    }

    @Test
    void sixteenBitPngLoadsAsEightBit(@TempDir Path dir) {
        BufferedImage eight = Portrait.load(ASTRONAUT);
        Path file = dir.resolve("deep.png");
        try (Mat m8 = Images.toMat(eight);
                Mat m16 = new Mat()) {
            m8.convertTo(m16, CV_16UC3, 257, 0);
            assertTrue(imwrite(file.toString(), m16));
        }
        BufferedImage loaded = Portrait.load(file);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, loaded.getType());
        byte[] a = Images.bytes(eight), b = Images.bytes(loaded);
        int worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        assertTrue(worst <= 1, "16-bit round trip differs by " + worst);
    }

    /**
     * A CMYK JPEG (print workflows; made by ImageMagick from scaled-320.png: {@code convert
     * scaled-320.png -colorspace CMYK -quality 92 cmyk.jpg}) loads with the colours of the RGB
     * original (an inverted or misread CMYK would be off by ~100 levels) and its face is found.
     */
    @Test
    void cmykJpegLoadsInItsColours() {
        Path rgbFile = FACE.resolve("scaled-320.png"), cmykFile = FACE.resolve("cmyk.jpg");
        BufferedImage rgb = Portrait.load(rgbFile), cmyk = Portrait.load(cmykFile);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, cmyk.getType());
        assertEquals(rgb.getWidth(), cmyk.getWidth());
        assertEquals(rgb.getHeight(), cmyk.getHeight());
        byte[] a = Images.bytes(rgb), b = Images.bytes(cmyk);
        long sum = 0;
        for (int i = 0; i < a.length; i++) sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        double mean = (double) sum / a.length;
        assertTrue(mean < 4, "CMYK picture differs from the RGB original by " + mean + " levels on average");
        Face expected = stage.primaryFace(rgb, rgbFile), face = stage.primaryFace(cmyk, cmykFile);
        assertEquals(expected.x(), face.x(), 3);
        assertEquals(expected.y(), face.y(), 3);
        assertEquals(expected.width(), face.width(), 3);
    }

    @Test
    void exifOrientationIsApplied() {
        BufferedImage img = Portrait.load(FACE.resolve("rotated-exif6.jpg"));
        assertEquals(400, img.getWidth()); // stored 512 wide, 400 high
        assertEquals(512, img.getHeight());
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, img.getType());
    }

    @Test
    void largePictureIsAnalysedDownscaledAndMappedBack() {
        BufferedImage small = Portrait.load(ASTRONAUT);
        Face reference = stage.primaryFace(small, ASTRONAUT);
        BufferedImage large;
        try (Mat m = Images.toMat(small);
                Mat big = new Mat();
                Size s = new Size(4096, 4096)) {
            resize(m, big, s, 0, 0, INTER_CUBIC);
            large = Images.toImage(big);
        }
        Face face = stage.primaryFace(large, Path.of("large.png"));
        double k = 8; // 4096 / 512
        assertEquals(reference.x() * k, face.x(), 3 * k);
        assertEquals(reference.y() * k, face.y(), 3 * k);
        assertEquals(reference.width() * k, face.width(), 3 * k);
        double sum = 0;
        for (int i = 0; i < 68; i++)
            sum += Math.hypot(face.lx(i) - reference.lx(i) * k, face.ly(i) - reference.ly(i) * k);
        assertTrue(sum / 68 < 2 * k, "landmarks in the 4096 px picture are off by " + sum / 68 + " px on average");
    }
}
