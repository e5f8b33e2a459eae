package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.golden.Golden;

/**
 * End to end with procedural full-size weights: a 64×64 txt2img through the {@code portrait} CLI
 * writes a PNG with A1111 parameters, the same seed gives the same pixels, another seed another
 * image. The model is loaded once (the command keeps it for later generations).
 */
class PortraitGeneratorTest {
    @TempDir
    Path dir;

    private int run(String... args) {
        return studio.cli.StudioCli.execute(with(new String[] {"portrait"}, args));
    }

    private String[] args(Path out, long seed, String sampler) {
        Path schema = Golden.dir().resolve("sd15/schema.json");
        org.junit.jupiter.api.Assumptions.assumeTrue(schema.toFile().isFile(), "no sd15 schema");
        return new String[] {"--procedural-schema", schema.toString(), "--prompt", "a (smiling:1.2) woman, studio portrait",
                "-n", "blurry", "--seed", String.valueOf(seed), "--steps", "2", "--cfg-scale", "7", "-W", "64", "-H", "64",
                "--sampler", sampler, "-o", out.toString()};
    }

    private static int[] pixels(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(64, img.getWidth());
        assertEquals(64, img.getHeight());
        return img.getRGB(0, 0, 64, 64, null, 0, 64);
    }

    @Test
    void generationThroughTheCliIsReproducibleBySeed() throws Exception {
        Path a = dir.resolve("a.png"), b = dir.resolve("b.png"), c = dir.resolve("c.png");
        assertEquals(0, run(args(a, 42, "Euler a")));
        assertEquals(0, run(args(b, 42, "Euler a")));
        assertEquals(0, run(args(c, 43, "Euler a")));
        int[] pa = pixels(a);
        assertArrayEquals(pa, pixels(b), "same seed, same image");
        assertFalse(java.util.Arrays.equals(pa, pixels(c)), "another seed, another image");
        long distinct = java.util.Arrays.stream(pa).distinct().count();
        assertTrue(distinct > 16, "a real image, not a flat colour: " + distinct + " colours");

        // A LoRA tag with weight 0 (the file exists, so it is resolved) leaves the image unchanged.
        Path loras = Files.createDirectories(dir.resolve("loras"));
        String up = "lora_unet_down_blocks_0_attentions_0_proj_in";
        LoraTest.write(loras.resolve("style.safetensors"),
                java.util.Map.of(up + ".lora_down.weight", new long[] {1, 320}, up + ".lora_up.weight", new long[] {320, 1}),
                java.util.Map.of(up + ".lora_down.weight", new float[320], up + ".lora_up.weight", new float[320]));
        Path z = dir.resolve("z.png");
        String[] withLora = args(z, 42, "Euler a");
        for (int i = 0; i < withLora.length; i++) if (withLora[i].equals("--prompt")) withLora[i + 1] += " <lora:style:0>";
        String[] all = java.util.Arrays.copyOf(withLora, withLora.length + 2);
        all[withLora.length] = "--lora-dir";
        all[withLora.length + 1] = loras.toString();
        assertEquals(0, run(all));
        assertArrayEquals(pa, pixels(z), "a zero-weight LoRA leaves the image unchanged");

        String params = PngParameters.read(a);
        assertEquals("a (smiling:1.2) woman, studio portrait\nNegative prompt: blurry\n"
                + "Steps: 2, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 64x64, Model: procedural, RNG: NV", params);

        // A1111's batch count: seeds 42 and 43, numbered files, each the image its seed alone gives.
        Path batch = dir.resolve("batch.png");
        String[] two = java.util.Arrays.copyOf(args(batch, 42, "Euler a"), args(batch, 42, "Euler a").length + 2);
        two[two.length - 2] = "--batch-count";
        two[two.length - 1] = "2";
        assertEquals(0, run(two));
        assertFalse(Files.exists(batch));
        assertArrayEquals(pa, pixels(dir.resolve("batch-1.png")), "first of the batch = seed 42");
        assertArrayEquals(pixels(c), pixels(dir.resolve("batch-2.png")), "second of the batch = seed 43");
        assertTrue(PngParameters.read(dir.resolve("batch-2.png")).contains("Seed: 43"));
    }

    /**
     * img2img and inpainting through the CLI: a fully black mask keeps every pixel of the start
     * picture; without a mask the start picture is partly repainted and the PNG says how much.
     */
    @Test
    void img2imgAndInpaintingThroughTheCli() throws Exception {
        Path start = dir.resolve("start.png");
        assertEquals(0, run(args(start, 7, "Euler")));
        Path black = dir.resolve("black.png");
        ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", black.toFile());

        Path kept = dir.resolve("kept.png");
        assertEquals(0, run(with(args(kept, 8, "Euler"), "--init-image", start.toString(), "--mask", black.toString())));
        assertArrayEquals(pixels(start), pixels(kept), "a black mask keeps the whole picture");

        Path repainted = dir.resolve("repainted.png");
        assertEquals(0, run(with(args(repainted, 8, "Euler"), "--init-image", start.toString(), "--denoising-strength", "0.5")));
        assertFalse(java.util.Arrays.equals(pixels(start), pixels(repainted)), "img2img repaints");
        assertTrue(PngParameters.read(repainted).endsWith(", Denoising strength: 0.5"), PngParameters.read(repainted));

        assertEquals(2, run(with(args(dir.resolve("x.png"), 8, "Euler"), "--mask", black.toString())), "a mask without a picture");
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void badSettingsAreInputErrors() {
        var e = assertThrows(studio.job.InputException.class,
                () -> new PortraitGenerator.Settings("x", "", 1, 20, 7, 65, 64, "Euler", 1));
        assertTrue(e.getMessage().contains("multiples of 8"));
        assertThrows(studio.job.InputException.class, () -> new PortraitGenerator.Settings("x", "", 1, 20, 7, 64, 64, "Karras 9000", 1));
    }

    @Test
    void parametersRoundTripThroughPng() {
        Path p = dir.resolve("u.png");
        String text = "東京の肖像 (portrait:1.1)\nSteps: 20, Sampler: Euler, CFG scale: 7, Seed: 1, Size: 8x8";
        PngParameters.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), text, p);
        assertEquals(text, PngParameters.read(p));
    }
}
