package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.pipeline.Engines;
import studio.pipeline.RenderOptions;

/**
 * The engine line always says what the next render will use, from the code the render uses:
 * it follows the preprocess mode and the size, not only the engine box (issue 17, item 1).
 */
@ExtendWith(ApplicationExtension.class)
class EngineLineTest extends UiTestSupport {
    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void engineLineFollowsModeAndSize(FxRobot robot) throws Exception {
        Path empty = Files.createTempDirectory("no-checkpoints");
        fx(() -> {
            window.model.checkpointDir.set(empty);
            return null;
        });
        Label why = robot.lookup("#engine-why").queryAs(Label.class);

        robot.clickOn("#engine");
        robot.clickOn("SadTalker (neural)");
        choose(robot, "#size", "512");
        choose(robot, "#preprocess", "full");
        String full512 = settled(why);
        assertTrue(full512.contains("SadTalker_V0.0.2_512") && full512.contains("mapping_00109"), full512);
        assertEquals(
                UiText.of(whatTheRenderSays()),
                full512.substring("Not available: ".length()),
                "the render's own words, as the app words them");
        assertTrue(full512.contains("Models tab") && !full512.contains("studio models"), full512);
        screenshot(stage.getScene(), "engine-line-full-512");

        choose(robot, "#size", "256");
        choose(robot, "#preprocess", "crop");
        String crop256 = settled(why);
        assertTrue(crop256.contains("SadTalker_V0.0.2_256") && crop256.contains("mapping_00229"), crop256);
        assertEquals(UiText.of(whatTheRenderSays()), crop256.substring("Not available: ".length()));
        screenshot(stage.getScene(), "engine-line-crop-256");
    }

    private static void choose(FxRobot robot, String box, String item) {
        robot.clickOn(box);
        robot.clickOn(item);
    }

    /** The line once its check (off the FX thread) has finished. */
    private static String settled(Label why) {
        waitUntil("the engine check finishes", 20, () -> !why.getText().startsWith("Checking"));
        return why.getText();
    }

    /** What a render with the window's options would fail with. */
    private String whatTheRenderSays() {
        RenderOptions o = fx(() -> window.model.optionsFor(null, null, null));
        try {
            Engines.select(o).close();
            return "(selected)";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
