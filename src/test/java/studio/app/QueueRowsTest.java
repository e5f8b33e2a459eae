package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import studio.testing.TestMedia;

/**
 * Queue rows (issue 17, item 3): each shows its options; a waiting job cancelled shows "cancelled"
 * at once; a row that is not running can be removed (context menu, Delete); "Clear finished"; the
 * status line above keeps its height; a double-click on a finished row plays it.
 */
@ExtendWith(ApplicationExtension.class)
class QueueRowsTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    /** The queue row of render #n, scrolled into view. */
    private ListCell<?> row(FxRobot robot, int n) {
        fx(() -> {
            window.queue().jobs().stream()
                    .filter(j -> j.number() == n)
                    .findFirst()
                    .ifPresent(window.output.queueList::scrollTo);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup("#queue .list-cell")
                .match((ListCell<?> c) -> c.getText() != null && c.getText().startsWith("#" + n + " "))
                .queryAs(ListCell.class);
    }

    @Test
    void rowsShowOptionsCanBeRemovedClearedAndPlayed(FxRobot robot) throws Exception {
        Path out = Files.createDirectories(dir.resolve("videos"));
        type(robot, "#portrait-field", "samples/astronaut.png");
        type(
                robot,
                "#audio-field",
                TestMedia.sampleSpeechRepeated(dir.resolve("long-speech.wav"), 24)
                        .toString());
        type(robot, "#output-dir", out.toString());
        Label duration = robot.lookup("#audio-duration").queryAs(Label.class);
        Label status = robot.lookup("#job-status").queryAs(Label.class);
        List<Double> heights = new ArrayList<>();
        heights.add(fx(status::getHeight));
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
        heights.add(fx(status::getHeight));

        dropFile(
                robot,
                robot.lookup("#audio-area").query(),
                Path.of("samples/speech.wav").toFile());
        waitUntil("the short clip is loaded", 30, () -> duration.getText().startsWith("7."));
        robot.clickOn("#render");
        robot.clickOn("#render");
        waitUntil("renders #2 and #3 wait", 10, () -> window.queue().jobs().size() == 3);
        RenderJob second = window.queue().jobs().get(1),
                third = window.queue().jobs().get(2);

        String line = fx(() -> row(robot, 3).getText());
        assertTrue(line.contains("crop, 256 px, style 0, Automatic") && line.startsWith("#3  waiting"), line);

        // A waiting job cancelled says so at once, while #1 still runs.
        robot.clickOn(row(robot, 3));
        robot.clickOn("#cancel");
        waitUntil(
                "#3 shows cancelled at once",
                2,
                () -> fx(() -> row(robot, 3).getText()).startsWith("#3  cancelled"));
        assertEquals(RenderJob.Status.CANCELLED, third.status());
        assertEquals(RenderJob.Status.RUNNING, first.status());
        heights.add(fx(status::getHeight));

        // A waiting row is removed from its context menu; the running one cannot be removed.
        robot.clickOn(row(robot, 2), MouseButton.SECONDARY);
        robot.clickOn("Remove from the queue");
        waitUntil("#2 is removed", 5, () -> !window.queue().jobs().contains(second));
        assertTrue(second.status().finished(), "a removed waiting job never runs");
        robot.clickOn(row(robot, 1));
        robot.type(KeyCode.DELETE);
        assertTrue(window.queue().jobs().contains(first), "the running job stays");
        screenshot(stage.getScene(), "queue-options-cancelled-removed");

        robot.clickOn("#cancel");
        waitUntil("render #1 is cancelled", 30, () -> first.status().finished());
        robot.clickOn("#render");
        waitUntil(
                "render #4 is done",
                180,
                () -> window.queue().jobs().size() == 3
                        && window.queue().jobs().getLast().status() == RenderJob.Status.DONE);
        RenderJob fourth = window.queue().jobs().getLast();
        heights.add(fx(status::getHeight));
        line = fx(() -> row(robot, 4).getText());
        assertTrue(line.contains("crop, 256 px, style 0, Built-in") && line.startsWith("#4  done"), line);
        assertEquals(1, heights.stream().distinct().count(), "the status line keeps its height: " + heights);

        // Delete removes a finished row chosen with the keyboard.
        robot.clickOn(row(robot, 3));
        robot.type(KeyCode.DELETE);
        waitUntil("#3 is removed", 5, () -> !window.queue().jobs().contains(third));

        // Double-click on the finished row plays it again once it has ended.
        waitUntil(
                "the video has played to its end",
                60,
                () -> fourth.options().output().equals(window.player().file())
                        && !window.player().playingProperty().get());
        robot.doubleClickOn(row(robot, 4));
        waitUntil(
                "the double-clicked row plays",
                10,
                () -> window.player().playingProperty().get());
        assertEquals(fourth.options().output(), window.player().file());
        screenshot(stage.getScene(), "queue-double-click-plays");

        robot.clickOn("#clear-finished");
        waitUntil("finished rows are cleared", 5, () -> window.queue().jobs().isEmpty());
        assertTrue(fx(() -> window.output.queueList.getItems().isEmpty()));
        screenshot(stage.getScene(), "queue-cleared");
    }
}
