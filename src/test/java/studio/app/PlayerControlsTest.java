package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Bounds;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The player's pause, seek bar, time and loop; Export says where it wrote (issue 17, item 10). */
@ExtendWith(ApplicationExtension.class)
class PlayerControlsTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void pauseSeekLoopAndExport(FxRobot robot) throws Exception {
        Path out = Files.createDirectories(dir.resolve("videos"));
        type(robot, "#portrait-field", "samples/astronaut.png");
        type(robot, "#audio-field", "samples/speech.wav");
        type(robot, "#output-dir", out.toString());
        Label duration = robot.lookup("#audio-duration").queryAs(Label.class);
        waitUntil(
                "inputs loaded",
                30,
                () -> window.inputs.portrait.image() != null
                        && duration.getText().startsWith("7."));
        robot.clickOn("#render");
        waitUntil(
                "the video plays",
                180,
                () -> window.player().file() != null
                        && window.player().framesShownProperty().get() >= 5);
        VideoPlayer player = window.player();
        Label time = robot.lookup("#player-time").queryAs(Label.class);
        assertTrue(fx(time::getText).endsWith("/ 0:07"), fx(time::getText));

        robot.clickOn("#pause");
        waitUntil("paused", 5, () -> fx(() -> player.pausedProperty().get()));
        int frames = fx(() -> player.framesShownProperty().get());
        Thread.sleep(600);
        assertEquals(frames, (int) fx(() -> player.framesShownProperty().get()), "no new frame while paused");
        assertEquals("Play", robot.lookup("#pause").queryButton().getText());

        // Click near the end of the seek bar: the picture jumps there, still paused.
        Slider seek = robot.lookup("#seek").queryAs(Slider.class);
        Bounds b = fx(() -> seek.localToScreen(seek.getBoundsInLocal()));
        robot.clickOn(b.getMinX() + b.getWidth() * 0.8, b.getCenterY());
        waitUntil(
                "the picture jumps near the end",
                10,
                () -> fx(() -> player.positionProperty().get()) > 4.5);
        assertTrue(fx(() -> player.pausedProperty().get()), "a seek keeps the pause");
        assertTrue(fx(time::getText).startsWith("0:0"), fx(time::getText));
        screenshot(stage.getScene(), "player-paused-after-seek");

        robot.clickOn("#loop");
        robot.clickOn("#pause");
        waitUntil("playing again", 5, () -> fx(() -> !player.pausedProperty().get()));
        waitUntil(
                "the loop starts over",
                20,
                () -> fx(() -> player.positionProperty().get()) < 1.0);
        assertTrue(fx(() -> player.playingProperty().get()), "looping, it keeps playing");

        Path target = dir.resolve("exported.mp4");
        fx(() -> {
            window.exportTo(player.file(), target.toFile());
            return null;
        });
        Label exported = robot.lookup("#export-status").queryAs(Label.class);
        waitUntil("the export is confirmed", 20, () -> fx(exported::getText).contains(target.toString()));
        assertTrue(Files.size(target) > 0);
        screenshot(stage.getScene(), "player-loop-exported");
    }
}
