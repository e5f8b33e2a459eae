package studio.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java networks against face-api.js itself: boxes and landmarks written by
 * tools/face-fixtures/make-fixtures.cjs (face-api 1.7.15 on tfjs's CPU backend) for the sample
 * portrait and pictures derived from it (scaled, two faces, EXIF-rotated JPEG, greyscale, alpha,
 * no face). SSD MobileNet v1 is checked with the full landmark net, the tiny detector with the
 * tiny landmark net, so all four models are covered.
 */
class FaceApiFixtureTest {
    static final Path FIXTURES = Path.of("src/test/resources/face/face-api-fixtures.json");
    private static FaceStage ssd, tiny;

    @BeforeAll
    static void open() {
        ssd = FaceStage.open(Path.of("checkpoints"));
        tiny = FaceStage.open(Path.of("checkpoints"), FaceStage.Detector.TINY, true);
    }

    @AfterAll
    static void close() {
        ssd.close();
        tiny.close();
    }

    static Stream<JsonObject> images() throws IOException {
        JsonArray images = JsonParser.parseString(Files.readString(FIXTURES))
                .getAsJsonObject()
                .getAsJsonArray("images");
        List<JsonObject> list = new ArrayList<>();
        for (JsonElement e : images) list.add(e.getAsJsonObject());
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void ssdAndFullLandmarksMatchFaceApi(JsonObject image) {
        check(ssd, image, "ssd", "landmarks");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void tinyDetectorAndTinyLandmarksMatchFaceApi(JsonObject image) {
        check(tiny, image, "tiny", "landmarksTiny");
    }

    private static void check(FaceStage stage, JsonObject image, String detector, String landmarksKey) {
        Path file = Path.of(image.get("file").getAsString());
        BufferedImage img = Portrait.load(file);
        assertEquals(image.get("width").getAsInt(), img.getWidth(), file + " width");
        assertEquals(image.get("height").getAsInt(), img.getHeight(), file + " height");
        JsonArray expected = image.getAsJsonArray(detector);
        List<Face> faces = stage.detect(img);
        assertEquals(expected.size(), faces.size(), file + ": number of faces");
        for (JsonElement e : expected) {
            JsonObject want = e.getAsJsonObject();
            double[] box = doubles(want.getAsJsonArray("box"));
            Face got = faces.stream()
                    .max((a, b) -> Double.compare(iou(a, box), iou(b, box)))
                    .orElseThrow();
            String what = file + " " + detector + " face at " + Arrays.toString(box) + " got "
                    + String.format("[%.2f, %.2f, %.2f, %.2f]", got.x(), got.y(), got.width(), got.height());
            assertTrue(iou(got, box) > 0.95, what + ": IoU " + iou(got, box));
            assertTrue(
                    Math.abs(got.x() - box[0]) <= 2
                            && Math.abs(got.y() - box[1]) <= 2
                            && Math.abs(got.x() + got.width() - box[0] - box[2]) <= 2
                            && Math.abs(got.y() + got.height() - box[1] - box[3]) <= 2,
                    what + ": box edges within 2 px");
            assertEquals(want.get("score").getAsDouble(), got.score(), 0.02, what + ": score");
            double[] lm = doubles(want.getAsJsonArray(landmarksKey));
            double sum = 0;
            for (int i = 0; i < 68; i++) sum += Math.hypot(got.lx(i) - lm[2 * i], got.ly(i) - lm[2 * i + 1]);
            double mean = sum / 68;
            System.out.printf("%s %s: IoU %.4f, landmark mean error %.3f px%n", file, detector, iou(got, box), mean);
            assertTrue(mean < 1.5, what + ": landmark mean error " + mean + " px");
        }
    }

    static double[] doubles(JsonArray a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).getAsDouble();
        return d;
    }

    static double iou(Face f, double[] b) {
        double w = Math.max(0, Math.min(f.x() + f.width(), b[0] + b[2]) - Math.max(f.x(), b[0]));
        double h = Math.max(0, Math.min(f.y() + f.height(), b[1] + b[3]) - Math.max(f.y(), b[1]));
        double inter = w * h;
        return inter / (f.area() + b[2] * b[3] - inter);
    }
}
