package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.TitledPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.pipeline.RenderOptions;
import studio.weights.Checkpoint;

/**
 * Issue 17, item 11: the CLI's reference videos, head-angle keyframes and {@code --save-coeffs} in
 * the app. They are offered when the next render's engine honours them (SadTalker), and otherwise
 * disabled with the reason; a keyframe that is not a number holds Render back with the reason; the
 * queued job carries exactly what was typed. The SadTalker files here are empty placeholders: the
 * engine choice only looks for them, and the job is checked as queued, not rendered.
 */
@ExtendWith(ApplicationExtension.class)
class MotionOptionsTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void referenceVideosKeyframesAndCoefficients(FxRobot robot) throws Exception {
        Path none = Files.createDirectories(dir.resolve("no-checkpoints"));
        fx(() -> {
            window.model.checkpointDir.set(none);
            window.model.outputDir.set(dir.resolve("out"));
            return null;
        });
        TitledPane section = robot.lookup("#motion-section").queryAs(TitledPane.class);
        fx(() -> {
            section.setExpanded(true);
            return null;
        });
        waitUntil(
                "the built-in engine says the options are unused",
                30,
                () -> fx(() -> window.options.motionWhy.getText()).contains("the Built-in engine"));
        assertTrue(fx(() -> window.options.yaw.isDisabled()), "not offered to an engine that would ignore them");
        scrollTo(section);
        screenshot(stage.getScene(), "motion-options-builtin");

        // With SadTalker's files in the checkpoint folder the options open up.
        Path ckpt = Files.createDirectories(dir.resolve("checkpoints"));
        for (Checkpoint c : List.of(Checkpoint.sadTalker(256), Checkpoint.mapping(false), Checkpoint.mapping(true)))
            Files.writeString(c.in(ckpt), "placeholder");
        fx(() -> {
            window.model.checkpointDir.set(ckpt);
            return null;
        });
        waitUntil("the options are offered", 30, () -> fx(() -> !window.options.yaw.isDisabled()));
        assertEquals("", fx(() -> window.options.motionWhy.getText()));

        Path video = Files.writeString(dir.resolve("reference.mp4"), "not read in this test");
        type(robot, "#ref-pose", video.toString());
        type(robot, "#input-yaw", "0, 20, -20");
        type(robot, "#input-pitch", "0 five");
        waitUntil(
                "a bad keyframe is said and Render waits",
                10,
                () -> fx(() -> window.options.motionWhy.getText()).contains("\"five\" is not a number"));
        loadInputs(robot);
        Node render = robot.lookup("#render").query();
        assertTrue(render.isDisabled());
        assertTrue(fx(() -> window.output.renderWhy.getText()).contains("\"five\""));
        scrollTo(section);
        screenshot(stage.getScene(), "motion-options-bad-keyframe");

        type(robot, "#input-pitch", "0 -5");
        clickInView(robot, "#save-coeffs");
        assertTrue(fx(() -> window.options.saveCoeffs.isSelected()), "the box is ticked");
        assertTrue(fx(() -> window.model.saveCoeffs.get()), "the studio will save the coefficients");
        waitUntil("Render is enabled", 10, () -> fx(() -> !render.isDisabled()));
        scrollTo(section);
        screenshot(stage.getScene(), "motion-options-sadtalker");
        clickInView(robot, "#render");
        waitUntil("the job is queued", 10, () -> fx(() -> !window.queue().jobs().isEmpty()));
        RenderOptions o = fx(() -> window.queue().jobs().getFirst().options());
        assertEquals(video, o.refPose());
        assertNull(o.refEyeblink());
        assertEquals(List.of(0.0, 20.0, -20.0), o.inputYaw());
        assertEquals(List.of(0.0, -5.0), o.inputPitch());
        assertEquals(List.of(), o.inputRoll());
        String stem = o.output().getFileName().toString().replaceFirst("\\.mp4$", "");
        assertEquals(o.output().resolveSibling(stem + ".coeffs.safetensors"), o.saveCoeffs());
        // The placeholders are not checkpoints: the job fails with the loader's words, not a stack trace.
        waitUntil(
                "the job ends",
                120,
                () -> fx(() -> window.queue().jobs().getFirst().status().finished()));
        closeErrorDialog(robot);

        // Back to the built-in engine: the options are off again and the next job has none of them.
        robot.clickOn(inView(robot, "#engine"));
        robot.clickOn("Built-in");
        waitUntil("the options are unused again", 30, () -> fx(() -> window.options.yaw.isDisabled()));
        RenderOptions builtin = fx(() -> window.model.optionsFor(null, null, dir.resolve("x.mp4")));
        assertNull(builtin.refPose());
        assertTrue(builtin.inputYaw().isEmpty());
        assertNull(builtin.saveCoeffs());
    }

    private void loadInputs(FxRobot robot) {
        type(
                robot,
                "#portrait-field",
                Path.of("samples/astronaut.png").toAbsolutePath().toString());
        type(
                robot,
                "#audio-field",
                Path.of("samples/speech.wav").toAbsolutePath().toString());
        waitUntil(
                "the inputs are read and the face found",
                60,
                () -> fx(() -> window.model.audio.get() != null
                        && window.model.analysis.get() != null
                        && window.model.analysis.get().face() != null));
    }

    private void closeErrorDialog(FxRobot robot) {
        waitUntil("the error dialog shows", 20, () -> errorDialog().isPresent());
        robot.clickOn(fx(() -> (Node) errorDialog().orElseThrow().lookup(".button-bar .button")));
        waitUntil("the dialog is closed", 10, () -> errorDialog().isEmpty());
    }
}
