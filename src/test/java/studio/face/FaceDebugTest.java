package studio.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceDebugTest {
    private static Face face(double x, double y, double size, double score) {
        double[] lm = new double[136];
        for (int i = 0; i < 68; i++) {
            lm[2 * i] = x + size * (0.1 + 0.8 * (i % 17) / 16.0);
            lm[2 * i + 1] = y + size * (0.2 + 0.6 * (i / 17) / 3.0);
        }
        return new Face(x, y, size, size, score, lm);
    }

    @Test
    void drawsBoxesAndLandmarksOnACopy() {
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_3BYTE_BGR);
        Face f = face(20, 20, 60, 0.93);
        BufferedImage out = FaceDebug.draw(img, List.of(f, face(120, 30, 40, 0.6)));
        assertEquals(200, out.getWidth());
        assertEquals(0, img.getRGB((int) f.lx(20), (int) f.ly(20)) & 0xffffff, "the input is not drawn on");
        assertNotEquals(
                0, out.getRGB((int) Math.round(f.lx(20)), (int) Math.round(f.ly(20))) & 0xffffff, "landmark drawn");
        assertEquals(0x00dc00, out.getRGB(20, 50) & 0xffffff, "primary box in green");
        assertEquals(0, out.getRGB(100, 95) & 0xffffff, "background untouched");
    }

    @Test
    void describesFaces() {
        assertEquals("no face found", FaceDebug.describe(List.of()));
        String line = FaceDebug.describe(List.of(face(20, 20, 60, 0.93), face(120, 30, 40, 0.6)));
        assertTrue(line.startsWith("2 faces; primary: box 20,20 60x60, score 0.93, eyes "), line);
        assertEquals(
                2, FaceDebug.details(List.of(face(20, 20, 60, 0.93))).lines().count());
    }
}
