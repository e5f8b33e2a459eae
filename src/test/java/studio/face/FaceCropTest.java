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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import studio.image.Images;

/**
 * SadTalker's crop geometry against SadTalker's own {@code align_face} (run by
 * tools/face-fixtures/sadtalker-crop-fixtures.py on the face-api.js landmarks), and the crop →
 * paste-back round trip.
 */
class FaceCropTest {
    static Stream<JsonObject> cases() throws IOException {
        JsonArray a = JsonParser.parseString(
                        Files.readString(Path.of("src/test/resources/face/sadtalker-crop-fixtures.json")))
                .getAsJsonObject()
                .getAsJsonArray("cases");
        List<JsonObject> list = new ArrayList<>();
        for (JsonElement e : a) list.add(e.getAsJsonObject());
        return list.stream();
    }

    static Face fixtureFace(String file, int index, double factor) throws IOException {
        JsonArray images = JsonParser.parseString(Files.readString(FaceApiFixtureTest.FIXTURES))
                .getAsJsonObject()
                .getAsJsonArray("images");
        for (JsonElement e : images) {
            JsonObject img = e.getAsJsonObject();
            if (!img.get("file").getAsString().equals(file)) continue;
            JsonObject f = img.getAsJsonArray("ssd").get(index).getAsJsonObject();
            double[] box = FaceApiFixtureTest.doubles(f.getAsJsonArray("box"));
            double[] lm = FaceApiFixtureTest.doubles(f.getAsJsonArray("landmarks"));
            for (int i = 0; i < lm.length; i++) lm[i] *= factor;
            return new Face(
                    box[0] * factor,
                    box[1] * factor,
                    box[2] * factor,
                    box[3] * factor,
                    f.get("score").getAsDouble(),
                    lm);
        }
        throw new IllegalArgumentException(file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void geometryMatchesSadTalker(JsonObject c) throws IOException {
        int width = c.get("width").getAsInt(), height = c.get("height").getAsInt();
        Face face = fixtureFace(
                c.get("file").getAsString(),
                c.get("face").getAsInt(),
                c.get("factor").getAsDouble());
        int[] crop = ints(c.getAsJsonArray("crop"));
        double[] quad = FaceApiFixtureTest.doubles(c.getAsJsonArray("quad"));
        int shrink = (int)
                Math.round((double) width / c.getAsJsonArray("rsize").get(0).getAsInt());
        // SadTalker slices img[cly:cry, clx:crx][int(ly):int(ry), int(lx):int(rx)] (numpy clips the slice)
        int cw = crop[2] - crop[0], ch = crop[3] - crop[1];
        int lx = (int) quad[0], ly = (int) quad[1], rx = Math.min((int) quad[2], cw), ry = Math.min((int) quad[3], ch);

        CropGeometry full = FaceCrop.geometry(width, height, face, Preprocess.FULL, 256);
        assertEquals(crop[0] * shrink, full.outerX());
        assertEquals(crop[1] * shrink, full.outerY());
        assertEquals(Math.min(crop[2] * shrink, width) - crop[0] * shrink, full.outerWidth());
        assertEquals(Math.min(crop[3] * shrink, height) - crop[1] * shrink, full.outerHeight());
        assertEquals((crop[0] + lx) * shrink, full.regionX());
        assertEquals((crop[1] + ly) * shrink, full.regionY());
        assertEquals(Math.min((crop[0] + rx) * shrink, width) - (crop[0] + lx) * shrink, full.regionWidth());
        assertEquals(Math.min((crop[1] + ry) * shrink, height) - (crop[1] + ly) * shrink, full.regionHeight());

        CropGeometry ext = FaceCrop.geometry(width, height, face, Preprocess.EXTFULL, 512);
        assertEquals(full.outerX(), ext.regionX());
        assertEquals(full.outerY(), ext.regionY());
        assertEquals(full.outerWidth(), ext.regionWidth());
        assertEquals(full.outerHeight(), ext.regionHeight());
        assertEquals(512, ext.size());
    }

    static int[] ints(JsonArray a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsInt();
        return r;
    }

    @Test
    void resizeModeShowsTheWholePicture() throws IOException {
        BufferedImage img = Portrait.load(Path.of("src/test/resources/face/two-faces.png"));
        FaceCrop.CropResult r =
                FaceCrop.crop(img, fixtureFace("src/test/resources/face/two-faces.png", 0, 1), Preprocess.RESIZE, 256);
        assertEquals(new CropGeometry(Preprocess.RESIZE, 256, 832, 512, 0, 0, 832, 512, 0, 0, 832, 512), r.geometry());
        assertEquals(256, r.image().getWidth());
        assertEquals(256, r.image().getHeight());
    }

    static Stream<Arguments> roundTrips() {
        List<Arguments> list = new ArrayList<>();
        for (Preprocess mode : new Preprocess[] {Preprocess.FULL, Preprocess.EXTFULL})
            for (int size : new int[] {256, 512})
                for (PasteBack.Blend blend : PasteBack.Blend.values()) list.add(Arguments.of(mode, size, blend));
        return list.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("roundTrips")
    void unmodifiedCropPastesBackToTheOriginal(Preprocess mode, int size, PasteBack.Blend blend) throws IOException {
        Path file = Path.of("samples/astronaut.png");
        BufferedImage img = Portrait.load(file);
        FaceCrop.CropResult r = FaceCrop.crop(img, fixtureFace(file.toString(), 0, 1), mode, size);
        assertEquals(size, r.image().getWidth());
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, r.image().getType());
        BufferedImage back;
        try (PasteBack paste = PasteBack.create(img, r.geometry(), blend)) {
            back = paste.paste(r.image());
            paste.paste(r.image()); // reusable buffers: a second frame works too
        }
        CropGeometry g = r.geometry();
        double whole = meanAbsoluteError(img, back, 0, 0, img.getWidth(), img.getHeight());
        double region = meanAbsoluteError(img, back, g.regionX(), g.regionY(), g.regionWidth(), g.regionHeight());
        System.out.printf("%s %d %s: MAE whole %.3f, pasted region %.3f%n", mode, size, blend, whole, region);
        assertTrue(whole <= 2, "mean absolute error " + whole);
        assertTrue(region <= 2.5, "mean absolute error over the pasted region " + region);
    }

    static double meanAbsoluteError(BufferedImage a, BufferedImage b, int x0, int y0, int w, int h) {
        byte[] pa = Images.bytes(Images.bgr(a)), pb = Images.bytes(Images.bgr(b));
        long sum = 0;
        for (int y = y0; y < y0 + h; y++)
            for (int x = x0; x < x0 + w; x++)
                for (int c = 0; c < 3; c++) {
                    int i = (y * a.getWidth() + x) * 3 + c;
                    sum += Math.abs((pa[i] & 0xff) - (pb[i] & 0xff));
                }
        return sum / (3.0 * w * h);
    }
}
