package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 17, item 12, as a user meets it: Render is disabled with the reason beside it while an input
 * is missing or the portrait has no face; {@code ~} in a typed path is the home folder; a rejected
 * file gives the field back to the portrait still shown; "no sound output" does not replace the
 * clip's duration.
 */
@ExtendWith(ApplicationExtension.class)
class InputsAndRenderButtonTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void renderWaitsForInputsAndAFace(FxRobot robot) throws Exception {
        Node render = robot.lookup("#render").query();
        assertTrue(render.isDisabled(), "nothing chosen yet");
        assertEquals("Choose a portrait first.", whyNot());
        screenshot(stage.getScene(), "render-disabled-no-inputs");

        // A picture without a face: Render stays off and says why.
        BufferedImage wall = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        var g = wall.createGraphics();
        g.setColor(new Color(150, 150, 140));
        g.fillRect(0, 0, 320, 240);
        g.dispose();
        Path noFace = dir.resolve("wall.png");
        ImageIO.write(wall, "png", noFace.toFile());
        type(robot, "#portrait-field", noFace.toString());
        type(
                robot,
                "#audio-field",
                Path.of("samples/speech.wav").toAbsolutePath().toString());
        waitUntil("the face search ends", 60, () -> fx(() -> window.model.analysis.get() != null));
        waitUntil("the clip is read", 30, () -> fx(() -> window.model.audio.get() != null));
        assertEquals("No face was found in the portrait: choose another picture.", whyNot());
        assertTrue(render.isDisabled());
        screenshot(stage.getScene(), "render-disabled-no-face");

        // `~` is the home folder, as in a shell: the sample portrait through a path typed from home.
        Path home = Path.of(System.getProperty("user.home"));
        Path inHome = Files.createTempDirectory(home, "studio-tilde-");
        try {
            Path portrait = Files.copy(Path.of("samples/astronaut.png"), inHome.resolve("astronaut.png"));
            type(robot, "#portrait-field", "~/" + inHome.getFileName() + "/astronaut.png");
            waitUntil(
                    "the portrait typed with ~ is loaded and its face found",
                    60,
                    () -> fx(() -> window.model.analysis.get() != null
                            && window.model.analysis.get().face() != null));
            assertEquals(portrait, fx(() -> window.model.portraitPath.get()));
            assertEquals(portrait.toString(), fx(() -> window.inputs.portraitField.getText()));
            waitUntil("Render is enabled", 10, () -> fx(() -> !render.isDisabled()));
            assertEquals("", whyNot());

            // A file that is not a picture, typed over it: the error names it, then the field shows the
            // portrait that is still there (not the rejected path), and Render still works.
            Path notAPicture = dir.resolve("notes.png");
            Files.writeString(notAPicture, "a shopping list\n");
            type(robot, "#portrait-field", notAPicture.toString());
            waitUntil("the error dialog shows", 20, () -> errorDialog().isPresent());
            assertTrue(errorText(errorDialog().orElseThrow()).contains("notes.png"));
            robot.clickOn(fx(() -> (Node) errorDialog().orElseThrow().lookup(".button-bar .button")));
            waitUntil("the dialog is closed", 10, () -> errorDialog().isEmpty());
            assertEquals(portrait.toString(), fx(() -> window.inputs.portraitField.getText()));
            assertNotNull(fx(() -> window.inputs.portrait.image()), "the portrait shown before stays");
            assertFalse(render.isDisabled());
            screenshot(stage.getScene(), "rejected-file-keeps-portrait");
        } finally {
            try (var files = Files.list(inHome)) {
                for (Path p : files.toList()) Files.delete(p);
            }
            Files.delete(inHome);
        }

        // Listen: where the machine has no sound output the message goes beside the duration.
        String duration = fx(() -> window.inputs.duration.getText());
        assertTrue(duration.contains(" s · "), duration);
        robot.clickOn("#listen");
        waitUntil(
                "Listen plays or says there is no sound output",
                10,
                () -> fx(() -> window.model.audioPlaying.get()
                        || !window.inputs.noSound.getText().isEmpty()));
        assertEquals(duration, fx(() -> window.inputs.duration.getText()), "the duration stays");
        if (fx(() -> window.model.audioPlaying.get())) robot.clickOn("#listen");
        screenshot(stage.getScene(), "listen-no-sound");
    }

    private String whyNot() {
        return fx(() -> window.output.renderWhy.getText());
    }
}
