package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.weights.ModelCatalog;

/**
 * Another checkpoint folder (without face-api models) keeps the face preview working: the bundled
 * face models are always found, nothing stale stays after switching back, and the Models tab lists
 * them as bundled (issue 17, item 2).
 */
@ExtendWith(ApplicationExtension.class)
class FaceModelsFolderTest extends UiTestSupport {
    @TempDir
    Path other;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void bundledFaceModelsAreAlwaysFound(FxRobot robot) throws Exception {
        Path original = fx(() -> window.model.checkpointDir.get());
        type(
                robot,
                "#portrait-field",
                Path.of("samples/astronaut.png").toAbsolutePath().toString());
        Label face = robot.lookup("#face-status").queryAs(Label.class);
        waitUntil("the face is found", 60, () -> fx(face::getText).startsWith("Face found"));

        robot.clickOn(fx(() -> window.tabs.lookup("#tab-models .tab-label")));
        type(robot, "#checkpoint-dir", other.toString());
        assertEquals(other, fx(() -> window.model.checkpointDir.get()));
        String status = robot.lookup("#status-face-api").queryAs(Label.class).getText();
        String where = robot.lookup("#where-face-api").queryAs(Label.class).getText();
        assertTrue(status.contains("bundled"), status);
        assertTrue(
                where.contains(ModelCatalog.bundledDir()
                        .resolve("face-api")
                        .toAbsolutePath()
                        .normalize()
                        .toString()),
                where);
        screenshot(stage.getScene(), "models-face-api-bundled");

        robot.clickOn(fx(() -> window.tabs.lookup("#tab-studio .tab-label")));
        waitUntil(
                "the face is found again with the bundled models",
                60,
                () -> fx(face::getText).startsWith("Face found"));
        screenshot(stage.getScene(), "face-preview-other-folder");

        robot.clickOn(fx(() -> window.tabs.lookup("#tab-models .tab-label")));
        type(robot, "#checkpoint-dir", original.toAbsolutePath().toString());
        robot.clickOn(fx(() -> window.tabs.lookup("#tab-studio .tab-label")));
        waitUntil(
                "the face is still found after switching back",
                60,
                () -> fx(face::getText).startsWith("Face found"));
        assertTrue(fx(() -> window.model.analysis.get()).face() != null);
    }
}
