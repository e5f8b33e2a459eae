package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.cli.StudioCli;
import studio.diffusion.PortraitGenerator.Settings;
import studio.golden.Golden;
import studio.job.InputException;
import studio.job.JobContext;

/**
 * End to end with procedural full-size weights (the golden schema; a procedural checkpoint file would
 * be ~4 GB, so the generator is driven through its API): a 64×64 txt2img gives a real picture, the
 * same seed the same pixels, another seed another image; A1111 parameters round-trip through the
 * PNG. The model is loaded once for the class.
 */
class PortraitGeneratorTest {
    @TempDir
    Path dir;

    private static PortraitGenerator generator;

    @BeforeAll
    static void load() {
        Path schema = Golden.require("sd15/schema.json");
        try (var dict = Sd15Checkpoint.procedural(schema, "")) {
            generator = PortraitGenerator.load(dict, "procedural");
        }
    }

    @AfterAll
    static void close() {
        if (generator != null) generator.close();
        generator = null;
    }

    private static PortraitGenerator generator() {
        Assumptions.assumeTrue(generator != null, "no sd15 schema");
        return generator;
    }

    private static Settings settings(long seed, String sampler) {
        return new Settings("a (smiling:1.2) woman, studio portrait", "blurry", seed, 2, 7, 64, 64, sampler, 1);
    }

    private static BufferedImage generate(Settings s, PortraitGenerator.ImageInput input) {
        BufferedImage img = generator().generate(s, input, JobContext.quiet());
        assertEquals(64, img.getWidth());
        assertEquals(64, img.getHeight());
        return img;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void generationIsReproducibleBySeed() {
        int[] pa = pixels(generate(settings(42, "Euler a"), null));
        assertArrayEquals(pa, pixels(generate(settings(42, "Euler a"), null)), "same seed, same image");
        assertFalse(Arrays.equals(pa, pixels(generate(settings(43, "Euler a"), null))), "another seed, another image");
        long distinct = Arrays.stream(pa).distinct().count();
        assertTrue(distinct > 16, "a real image, not a flat colour: " + distinct + " colours");

        // A LoRA tag is not part of the text the encoder sees.
        Settings s = settings(42, "Euler a");
        Settings tagged =
                new Settings(s.prompt() + " <lora:style:0>", s.negativePrompt(), 42, 2, 7, 64, 64, "Euler a", 1);
        assertArrayEquals(pa, pixels(generate(tagged, null)), "a LoRA tag leaves the text conditioning unchanged");

        Path a = dir.resolve("a.png");
        PngParameters.write(generate(s, null), s.infotext(generator().modelName()), a);
        assertEquals(
                "a (smiling:1.2) woman, studio portrait\nNegative prompt: blurry\n"
                        + "Steps: 2, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 64x64, Model: procedural, RNG: NV",
                PngParameters.read(a));
    }

    /**
     * img2img and inpainting: a fully black mask keeps every pixel of the start picture; without a
     * mask the start picture is partly repainted.
     */
    @Test
    void img2imgAndInpainting() {
        BufferedImage start = generate(settings(7, "Euler"), null);
        BufferedImage black = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        BufferedImage kept = generate(settings(8, "Euler"), new PortraitGenerator.ImageInput(start, 0.75, black));
        assertArrayEquals(pixels(start), pixels(kept), "a black mask keeps the whole picture");
        BufferedImage repainted = generate(settings(8, "Euler"), new PortraitGenerator.ImageInput(start, 0.5, null));
        assertFalse(Arrays.equals(pixels(start), pixels(repainted)), "img2img repaints");
    }

    /** The CLI refuses a mask without a start picture before it loads any model. */
    @Test
    void aMaskNeedsAPicture() throws Exception {
        Path black = dir.resolve("black.png");
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", black.toFile());
        assertEquals(
                2,
                StudioCli.execute(
                        "portrait",
                        "--model",
                        dir.resolve("none.safetensors").toString(),
                        "--prompt",
                        "x",
                        "-o",
                        dir.resolve("x.png").toString(),
                        "--mask",
                        black.toString()));
    }

    @Test
    void badSettingsAreInputErrors() {
        var e = assertThrows(
                InputException.class, () -> new PortraitGenerator.Settings("x", "", 1, 20, 7, 65, 64, "Euler", 1));
        assertTrue(e.getMessage().contains("multiples of 8"));
        assertThrows(
                InputException.class,
                () -> new PortraitGenerator.Settings("x", "", 1, 20, 7, 64, 64, "Karras 9000", 1));
    }

    @Test
    void parametersRoundTripThroughPng() {
        Path p = dir.resolve("u.png");
        String text = "東京の肖像 (portrait:1.1)\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 8x8";
        PngParameters.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), text, p);
        assertEquals(text, PngParameters.read(p));
    }
}
