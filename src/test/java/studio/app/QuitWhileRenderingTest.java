package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static studio.job.Stage.ENCODE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.testing.TestMedia;

/**
 * Closing the window or Ctrl+Q while a render runs asks first (issue 17, item 6): "Keep working"
 * keeps everything; "Quit and cancel renders" cancels the render and leaves no temporary file.
 */
@ExtendWith(ApplicationExtension.class)
class QuitWhileRenderingTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    private static Optional<DialogPane> quitDialog() {
        return fx(() -> Window.getWindows().stream()
                .filter(Window::isShowing)
                .map(w -> w.getScene().getRoot())
                .filter(r -> r instanceof DialogPane && "quit-dialog".equals(r.getId()))
                .map(r -> (DialogPane) r)
                .findFirst());
    }

    @Test
    void asksBeforeQuittingAndLeavesNoTemporaryFile(FxRobot robot) throws Exception {
        Path out = Files.createDirectories(dir.resolve("videos"));
        type(robot, "#portrait-field", "samples/astronaut.png");
        type(
                robot,
                "#audio-field",
                TestMedia.sampleSpeechRepeated(dir.resolve("long-speech.wav"), 24)
                        .toString());
        type(robot, "#output-dir", out.toString());
        Label duration = robot.lookup("#audio-duration").queryAs(Label.class);
        waitUntil(
                "the clip is loaded",
                30,
                () -> window.inputs.portrait.image() != null
                        && duration.getText().startsWith("168."));
        robot.clickOn("#render");
        robot.clickOn("#render");
        waitUntil("render #1 is encoding", 60, () -> {
            var jobs = window.queue().jobs();
            var p = jobs.isEmpty() ? null : jobs.getFirst().progress().get(ENCODE);
            return p != null && p.done() >= 20;
        });
        RenderJob running = window.queue().jobs().getFirst();
        try (var files = Files.list(out)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".part")), "the render writes a temp");
        }

        // The window's close button: asks; Keep working keeps the window and the render.
        Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        waitUntil("the quit dialog shows", 10, () -> quitDialog().isPresent());
        String text = fx(() -> ((Label) quitDialog().orElseThrow().getContent()).getText());
        assertTrue(text.contains("running: 1, waiting: 1"), text);
        screenshot(quitDialog().orElseThrow().getScene(), "quit-confirm");
        robot.clickOn("Keep working");
        waitUntil("the dialog closes", 10, () -> quitDialog().isEmpty());
        assertTrue(fx(stage::isShowing), "the window stays");
        assertEquals(RenderJob.Status.RUNNING, running.status(), "the render goes on");

        // Ctrl+Q: asks; Quit and cancel renders closes, cancels and leaves no temporary file.
        robot.clickOn("#portrait-view");
        robot.press(KeyCode.CONTROL).press(KeyCode.Q).release(KeyCode.Q).release(KeyCode.CONTROL);
        waitUntil("the quit dialog shows again", 10, () -> quitDialog().isPresent());
        robot.clickOn("Quit and cancel renders");
        waitUntil("the window closes", 20, () -> !fx(stage::isShowing));
        assertTrue(running.cancellation().isCancelled());
        try (var files = Files.list(out)) {
            List<String> left = files.map(f -> f.getFileName().toString()).toList();
            assertEquals(List.of(), left, "no video and no temporary file left");
        }
        assertFalse(Files.exists(running.options().output()));
    }
}
