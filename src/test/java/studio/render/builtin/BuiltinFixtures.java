package studio.render.builtin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** The sample portrait and its face-api.js landmarks (src/test/resources/builtin). */
public final class BuiltinFixtures {
    private BuiltinFixtures() {}

    public static BufferedImage astronaut() throws IOException {
        return bgr(ImageIO.read(Path.of("samples/astronaut.png").toFile()));
    }

    public static double[] astronautLandmarks() throws IOException {
        try (var in = new InputStreamReader(
                BuiltinFixtures.class.getResourceAsStream("/builtin/astronaut-landmarks.json"),
                StandardCharsets.UTF_8)) {
            JsonObject o = JsonParser.parseReader(in).getAsJsonObject();
            var arr = o.getAsJsonArray("landmarks");
            double[] out = new double[arr.size()];
            for (int i = 0; i < out.length; i++) out[i] = arr.get(i).getAsDouble();
            return out;
        }
    }

    public static BufferedImage bgr(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) return img;
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        out.getGraphics().drawImage(img, 0, 0, null);
        return out;
    }
}
