package studio.app;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.diffusion.PngParameters;

/**
 * "Generate portrait…": the window's A1111 controls, plain-words problems (no checkpoint, a file that
 * is not a checkpoint, a bad seed), the remembered checkpoint, and the hand-over of a picture to the
 * studio's portrait. A real generation needs a multi-GB checkpoint, so none runs here (the CLI's
 * procedural end-to-end test covers the generator).
 */
@ExtendWith(ApplicationExtension.class)
class GeneratePortraitTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void dialogControlsProblemsAndHandOver(FxRobot robot) throws Exception {
        type(robot, "#output-dir", dir.toString());
        GeneratePortraitDialog d = openGenerateWindow(robot);
        assertEquals("Generate a portrait", d.window.getTitle());
        assertEquals("", d.checkpoint.getText(), "no checkpoint remembered in fresh settings");
        assertEquals(
                List.of("Euler", "Euler a", "DPM++ 2M Karras", "DDIM", "PLMS", "LMS", "UniPC"), d.sampler.getItems());
        assertEquals("DPM++ 2M Karras", d.sampler.getValue());
        assertEquals(25, d.steps.getValue());
        assertEquals(7.0, d.cfgScale.getValue());
        assertTrue(d.framing.isSelected());
        assertTrue(d.use.isDisabled(), "nothing to use yet");
        assertTrue(d.cancel.isDisabled(), "nothing to cancel yet");

        // No checkpoint chosen: the status line says what to do, nothing starts.
        robot.clickOn("#generate-prompt").write("a smiling woman with short grey hair");
        robot.clickOn("#generate-run");
        String noCheckpoint = d.status.getText();
        assertTrue(noCheckpoint.startsWith("Choose a Stable Diffusion 1.x checkpoint file first"), noCheckpoint);
        assertFalse(d.generate.isDisabled());
        assertTrue(d.cancel.isDisabled());
        List<String> clipped = clippedLabels(d.window.getScene().getRoot());
        assertTrue(clipped.isEmpty(), "clipped texts:\n" + String.join("\n", clipped));
        screenshot(d.window.getScene(), "generate-no-checkpoint");

        // A file that is not a checkpoint: the message names it and the problem; it is not remembered.
        Path fake = dir.resolve("holiday-photos.safetensors");
        Files.writeString(fake, "this is not a model\n");
        robot.clickOn("#generate-checkpoint").write(fake.toString());
        robot.clickOn("#generate-run");
        waitUntil(
                "the generation gives up",
                60,
                () -> fx(() -> !d.generate.isDisabled() && !d.status.getText().startsWith("Loading")));
        String bad = d.status.getText();
        assertTrue(bad.contains("holiday-photos.safetensors"), "names the file: " + bad);
        assertFalse(bad.contains("Exception") || bad.contains(".java:"), "plain words: " + bad);
        assertNull(settings.sdCheckpoint(), "a checkpoint is remembered only once it loads");

        // A seed that is not a number.
        robot.clickOn("#generate-seed").write("lucky");
        robot.clickOn("#generate-run");
        assertEquals("The seed \"lucky\" is not a whole number.", d.status.getText());

        // Escape closes the window; reopened from the keyboard (File > Generate portrait…, Ctrl+G) it has
        // the prompt back (the unloadable checkpoint is not offered again).
        robot.clickOn("#generate-prompt");
        robot.type(KeyCode.ESCAPE);
        waitUntil("Escape closes the window", 10, () -> fx(() -> !d.window.isShowing()));
        robot.clickOn("#portrait-field");
        robot.press(KeyCode.CONTROL).press(KeyCode.G).release(KeyCode.G).release(KeyCode.CONTROL);
        waitUntil(
                "the generate window shows again",
                10,
                () -> window.generateDialog() != d
                        && window.generateDialog().window.isShowing());
        GeneratePortraitDialog d2 = window.generateDialog();
        assertEquals("", d2.checkpoint.getText());
        assertEquals("a smiling woman with short grey hair", d2.prompt.getText(), "the prompt is remembered");

        // Hand-over: a result (here the sample portrait, as no model runs in this test) becomes the studio's portrait,
        // saved as a PNG whose parameters chunk reads back.
        BufferedImage picture = ImageIO.read(Path.of("samples/astronaut.png").toFile());
        String info =
                "a smiling astronaut\nNegative prompt: blurry\nSteps: 25, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 42, Size: 512x512";
        fx(() -> {
            d2.showResult(picture, info, 42);
            return null;
        });
        robot.clickOn("#generate-use");
        Path saved = dir.resolve("portrait-42.png");
        waitUntil(
                "the studio's portrait is the generated picture",
                30,
                () -> saved.toString().equals(window.inputs.portraitField.getText())
                        && window.inputs.portrait.image() != null);
        assertEquals(info, PngParameters.read(saved));
        BufferedImage back = ImageIO.read(saved.toFile());
        assertEquals(512, back.getWidth());
        assertEquals(picture.getRGB(200, 150), back.getRGB(200, 150));
        assertTrue(d2.status.getText().contains("portrait-42.png"), d2.status.getText());
        waitUntil("the face of the generated portrait is found", 60, () -> window.inputs.portrait.face() != null);
        screenshot(d2.window.getScene(), "generate-dialog");
        screenshot(stage.getScene(), "generate-handed-over");
    }

    /**
     * The window runs the CLI's portrait job: a {@code <lora:…>} tag is looked up in the LoRA folder
     * (beside the checkpoint by default) and a missing one is said before any model loads; img2img's
     * start picture and inpainting's mask are checked the same way; {@code ~} is the home folder;
     * the device and precision are the studio's.
     */
    @Test
    void loraTagsImg2imgAndInpaintingGoToThePortraitJob(FxRobot robot) throws Exception {
        GeneratePortraitDialog d = openGenerateWindow(robot);
        Path models = Files.createDirectories(dir.resolve("models/Stable-diffusion"));
        Path loras = Files.createDirectories(dir.resolve("models/Lora"));
        Path model = Files.writeString(models.resolve("v1-5.safetensors"), "not a model either");
        robot.clickOn("#generate-checkpoint").write(model.toString());
        robot.clickOn("#generate-prompt").write("a teacher <lora:film-grain:0.6>");
        robot.clickOn("#generate-run");
        String missing = d.status.getText();
        assertTrue(
                missing.contains(loras.resolve("film-grain.safetensors").toString())
                        && missing.contains("LoRA 'film-grain' not found"),
                "the A1111 layout's Lora folder is where the tag is looked up: " + missing);
        assertFalse(d.generate.isDisabled(), "nothing started");
        screenshot(d.window.getScene(), "generate-lora-missing");

        // A folder chosen by the user, typed with ~.
        Path home = Path.of(System.getProperty("user.home"));
        robot.clickOn("#generate-lora-dir").write("~/no-such-lora-folder");
        robot.clickOn("#generate-run");
        assertTrue(
                d.status
                        .getText()
                        .contains(home.resolve("no-such-lora-folder/film-grain.safetensors")
                                .toString()),
                d.status.getText());

        // img2img and inpainting: the request is the CLI's, with the window's strength and the studio's device.
        fx(() -> {
            d.loraDir.setText(loras.toString());
            d.prompt.setText("a teacher");
            d.denoising.setValue(0.4);
            return null;
        });
        robot.clickOn("#generate-mask").write(dir.resolve("mask.png").toString());
        robot.clickOn("#generate-run");
        assertTrue(d.status.getText().contains("a mask needs a start picture"), d.status.getText());
        Path start = dir.resolve("start.png");
        Files.copy(Path.of("samples/astronaut.png"), start);
        robot.clickOn("#generate-init-image").write(start.toString());
        var request = fx(d::request);
        assertEquals(model, request.model());
        assertEquals(loras, request.loraDir());
        assertEquals(start, request.initImage());
        assertEquals(0.4, request.denoisingStrength(), 1e-9);
        assertEquals(dir.resolve("mask.png"), request.mask());
        assertEquals(window.model.options.get().compute(), request.compute());
        assertEquals(
                List.of(start.toString(), dir.resolve("mask.png").toString()),
                List.of(
                        request.inputs().get(1).toString(),
                        request.inputs().get(2).toString()));
        // The mask does not exist: the job names it (read before the model loads).
        robot.clickOn("#generate-run");
        waitUntil(
                "the generation gives up",
                60,
                () -> fx(() -> !d.generate.isDisabled() && !d.status.getText().startsWith("Loading")));
        assertTrue(d.status.getText().contains("mask.png"), d.status.getText());
        List<String> clipped = clippedLabels(d.window.getScene().getRoot());
        assertTrue(clipped.isEmpty(), "clipped texts:\n" + String.join("\n", clipped));
        screenshot(d.window.getScene(), "generate-img2img");
    }

    @Test
    void chineseDialogAndEngineLine(FxRobot robot) throws Exception {
        fx(() -> {
            window.switchLanguage(Settings.LANG_ZH);
            return null;
        });
        waitUntil(
                "the Chinese window is built",
                10,
                () -> fx(() -> stage.getScene().lookup("#generate-portrait")) != null);
        // The engine line is translated too (engine ids map to bundle strings, not the engine's English describe()).
        waitUntil(
                "the engine line is shown",
                20,
                () -> fx(() -> window.options.engineWhy.getText()).startsWith("使用：内置 — "));
        String engineLine = fx(() -> window.options.engineWhy.getText());
        assertTrue(engineLine.contains("关键点网格变形") && !engineLine.contains("landmark"), engineLine);
        GeneratePortraitDialog d = openGenerateWindow(robot);
        assertEquals("生成肖像", d.window.getTitle());
        robot.clickOn("#generate-run");
        assertTrue(d.status.getText().startsWith("请先选择"), d.status.getText());
        List<String> clipped = clippedLabels(d.window.getScene().getRoot());
        assertTrue(clipped.isEmpty(), "clipped texts:\n" + String.join("\n", clipped));
        screenshot(d.window.getScene(), "zh-generate-dialog");
    }

    /** Clicks "Generate portrait…" and waits for its window. */
    private GeneratePortraitDialog openGenerateWindow(FxRobot robot) {
        robot.clickOn("#generate-portrait");
        waitUntil(
                "the generate window shows",
                10,
                () -> window.generateDialog() != null
                        && window.generateDialog().window.isShowing());
        return window.generateDialog();
    }
}
