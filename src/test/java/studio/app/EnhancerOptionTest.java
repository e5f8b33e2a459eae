package studio.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.CheckBox;
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
 * The enhancer's "twice the size" choice: offered only with an enhancer, on by default as SadTalker
 * does, passed to the render and remembered for the next session.
 */
@ExtendWith(ApplicationExtension.class)
class EnhancerOptionTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void twiceTheSizeGoesWithTheEnhancer(FxRobot robot) throws Exception {
        Files.createFile(dir.resolve(Checkpoint.GFPGAN.file())); // GFPGAN is offered only with its checkpoint
        fx(() -> {
            window.model.checkpointDir.set(dir);
            return null;
        });
        waitUntil("GFPGAN is offered", 20, () -> fx(() -> !window.options.enhancerGet.isVisible()));
        CheckBox upscale = robot.lookup("#enhancer-upscale").queryAs(CheckBox.class);
        assertTrue(upscale.isDisabled(), "no enhancer: nothing to upscale");
        assertTrue(upscale.isSelected(), "SadTalker's default: twice the size");

        robot.clickOn("#enhancer");
        robot.clickOn("GFPGAN");
        waitUntil("GFPGAN is chosen", 10, () -> window.options.enhancer.getValue() == RenderOptions.Enhancer.GFPGAN);
        assertFalse(upscale.isDisabled());
        screenshot(stage.getScene(), "enhancer-upscale");
        assertEquals(2, fx(() -> window.options.options(null, null, null)).enhancerUpscale());

        robot.clickOn("#enhancer-upscale");
        waitUntil("the box is cleared", 10, () -> !upscale.isSelected());
        assertEquals(1, fx(() -> window.options.options(null, null, null)).enhancerUpscale());
        RenderOptions remembered = settings.options(null, null, null);
        assertEquals(RenderOptions.Enhancer.GFPGAN, remembered.enhancer());
        assertEquals(1, remembered.enhancerUpscale(), "remembered for the next session");
    }
}
