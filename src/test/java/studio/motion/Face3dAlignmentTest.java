package studio.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import studio.face.Face;

/**
 * The 224 x 224 alignment against SadTalker's numpy + Pillow procedure, run by
 * tools/make_align_fixture.py on a synthetic image (one case at scale ~1, one shrunk by ~0.58).
 */
class Face3dAlignmentTest {
    static final Path DIR = Path.of("src/test/resources/motion");

    @ParameterizedTest
    @ValueSource(strings = {"near", "big"})
    void matchesSadTalkerAlignment(String name) throws IOException {
        BufferedImage input = ImageIO.read(DIR.resolve("align_input.png").toFile());
        List<String> lines = Files.readAllLines(DIR.resolve("align_" + name + "_landmarks.txt"));
        double[] lm = new double[136];
        for (int i = 0; i < 68; i++) {
            String[] xy = lines.get(i).trim().split("\\s+");
            lm[2 * i] = Double.parseDouble(xy[0]);
            lm[2 * i + 1] = Double.parseDouble(xy[1]);
        }
        Face3dAlignment.Aligned a = Face3dAlignment.align(input, new Face(0, 0, 256, 256, 1, lm));

        String[] p = Files.readString(DIR.resolve("align_" + name + "_params.txt"))
                .trim()
                .split("\\s+");
        for (int i = 0; i < 5; i++)
            assertEquals(
                    Double.parseDouble(p[i]),
                    a.params()[i],
                    1e-5 * Math.max(1, Math.abs(Double.parseDouble(p[i]))),
                    "param " + i);

        BufferedImage expected =
                ImageIO.read(DIR.resolve("align_" + name + "_expected.png").toFile());
        int worst = 0, off = 0;
        for (int y = 0; y < 224; y++)
            for (int x = 0; x < 224; x++) {
                int rgb = expected.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int ref = (rgb >> (16 - 8 * c)) & 0xff;
                    int got = Math.round(a.image()[(c * 224 + y) * 224 + x] * 255);
                    int d = Math.abs(ref - got);
                    worst = Math.max(worst, d);
                    if (d > 0) off++;
                }
            }
        assertTrue(
                worst <= 1 && off < 224 * 224 * 3 / 100,
                name + ": worst pixel difference " + worst + ", " + off + " values differ");
    }
}
