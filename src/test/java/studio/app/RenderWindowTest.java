package studio.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A render from the samples driven only through the window, ending with the video playing in it. */
@ExtendWith(ApplicationExtension.class)
class RenderWindowTest extends UiTestSupport {
    @TempDir Path out;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void rendersTheSamplesAndPlaysTheVideo(FxRobot robot) throws Exception {
        type(robot, "#portrait-field", "samples/astronaut.png");
        type(robot, "#audio-field", "samples/speech.wav");
        type(robot, "#output-dir", out.toString());
        waitUntil("the portrait and the waveform are loaded", 30,
                () -> window.inputs.portrait.image() != null && robot.lookup("#audio-duration").queryAs(Label.class).getText().contains("s"));
        String duration = robot.lookup("#audio-duration").queryAs(Label.class).getText();
        assertTrue(duration.startsWith("7."), "clip duration shown: " + duration);

        // The face stage found the astronaut's face: a box in the upper middle of the 512x512 picture, 68 landmarks inside it.
        waitUntil("the face is detected", 60, () -> window.inputs.portrait.face() != null);
        var face = window.inputs.portrait.face();
        assertEquals(136, face.landmarks().length);
        double cx = face.x() + face.width() / 2, cy = face.y() + face.height() / 2;
        assertTrue(cx > 120 && cx < 300 && cy > 80 && cy < 300 && face.width() > 60 && face.width() < 250, "face box " + face);
        assertTrue(face.lx(30) > face.x() && face.lx(30) < face.x() + face.width(), "nose tip inside the box");
        assertTrue(robot.lookup("#face-status").queryLabeled().getText().startsWith("Face found"));

        robot.clickOn("#render");
        waitUntil("the render has started", 20, () -> !window.queue().jobs().isEmpty());
        RenderJob job = window.queue().jobs().getFirst();
        waitUntil("the render is done", 120, () -> job.status().finished());
        assertEquals(RenderJob.Status.DONE, job.status(), "render ended with " + job.status() + " " + job.error());
        Path mp4 = job.resultProperty().get().output();
        assertEquals(out, mp4.getParent());
        assertTrue(Files.size(mp4) > 10_000);

        waitUntil("the player has shown 25 frames", 30, () -> window.player().framesShownProperty().get() >= 25);
        assertTrue(window.player().playingProperty().get() || window.player().framesShownProperty().get() > 25);
        var shown = window.output.video.getImage();
        assertTrue(contrast(shown) > 10, "the player shows a picture, not a blank area");
        assertShowsFrameOf(shown, mp4);
        String detail = robot.lookup("#detail-encode").queryAs(Label.class).getText();
        assertTrue(detail.contains("175/175"), "encode stage shows frames done/total: " + detail);
        assertTrue(window.output.jobStatus.getText().contains("#1"), window.output.jobStatus.getText());
        screenshot(stage.getScene(), "render-playing");
    }
}
