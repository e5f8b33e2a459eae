package studio.app;

import static org.junit.jupiter.api.Assertions.*;
import static studio.job.Stage.ENCODE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.testing.TestMedia;

/** Cancel during a render, with a second render (prepared while the first runs) queued behind it. */
@ExtendWith(ApplicationExtension.class)
class CancelAndQueueTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void cancelsTheRunningRenderAndRunsTheQueuedOne(FxRobot robot) throws Exception {
        Path out = Files.createDirectories(dir.resolve("videos"));
        Path longWav = TestMedia.sampleSpeechRepeated(dir.resolve("long-speech.wav"), 24);
        type(robot, "#portrait-field", "samples/astronaut.png");
        type(robot, "#audio-field", longWav.toString());
        type(robot, "#output-dir", out.toString());
        Label duration = robot.lookup("#audio-duration").queryAs(Label.class);
        waitUntil(
                "the long clip is loaded",
                30,
                () -> window.inputs.portrait.image() != null
                        && duration.getText().startsWith("168."));
        robot.clickOn("#render");
        waitUntil(
                "render #1 runs",
                20,
                () -> !window.queue().jobs().isEmpty()
                        && window.queue().jobs().getFirst().status() == RenderJob.Status.RUNNING);
        RenderJob first = window.queue().jobs().getFirst();

        // Prepare the next render while the first one runs: another clip, another pose style.
        dropFile(
                robot,
                robot.lookup("#audio-area").query(),
                Path.of("samples/speech.wav").toFile());
        waitUntil("the short clip is loaded", 30, () -> duration.getText().startsWith("7."));
        robot.clickOn("#pose-style");
        robot.type(javafx.scene.input.KeyCode.END);
        robot.clickOn("#render");
        waitUntil("render #2 is queued", 10, () -> window.queue().jobs().size() == 2);
        RenderJob second = window.queue().jobs().get(1);
        assertEquals(45, second.options().poseStyle());
        assertEquals(RenderJob.Status.QUEUED, second.status(), "the second render waits for the first");
        assertEquals(RenderJob.Status.RUNNING, first.status());

        waitUntil("render #1 has encoded 100 frames", 60, () -> {
            var p = first.progress().get(ENCODE);
            return p != null && p.done() >= 100;
        });
        screenshot(stage.getScene(), "queue-first-running-second-waiting");
        assertTrue(robot.lookup("#queue").queryListView().getItems().size() == 2);
        robot.clickOn("#cancel");
        waitUntil("render #1 is cancelled", 30, () -> first.status().finished());
        assertEquals(RenderJob.Status.CANCELLED, first.status());
        var p = first.progress().get(ENCODE);
        assertTrue(p.done() < p.total(), "cancelled mid-way at frame " + p.done() + "/" + p.total());
        assertFalse(Files.exists(first.options().output()), "no output file left by the cancelled render");

        waitUntil("render #2 is done", 120, () -> second.status().finished());
        assertEquals(RenderJob.Status.DONE, second.status(), "second render: " + second.error());
        try (var files = Files.list(out)) {
            assertEquals(
                    List.of(second.options().output().getFileName().toString()),
                    files.map(f -> f.getFileName().toString()).toList(),
                    "only the second video, no partial file");
        }
        waitUntil(
                "the player shows the second video",
                30,
                () -> second.options().output().equals(window.player().file())
                        && window.player().framesShownProperty().get() >= 10);
        String line = fx(() -> OutputPane.describe(first));
        assertTrue(line.contains("cancelled"), line);
        screenshot(stage.getScene(), "queue-first-cancelled-second-done");
    }
}
