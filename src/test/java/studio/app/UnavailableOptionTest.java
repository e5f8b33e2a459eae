package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.pipeline.RenderOptions.Enhancer;
import studio.weights.Checkpoint;

/**
 * An option whose checkpoint is missing shows as unavailable before any render: GFPGAN is disabled
 * with the reason and a "Get it" link to the Models tab, and comes back once the file is there;
 * long error texts wrap (issue 17, item 4).
 */
@ExtendWith(ApplicationExtension.class)
class UnavailableOptionTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void missingGfpganIsUnavailableWithAGetItLink(FxRobot robot) throws Exception {
        fx(() -> {
            window.model.checkpointDir.set(dir);
            return null;
        });
        ChoiceBox<?> enhancer = robot.lookup("#enhancer").queryAs(ChoiceBox.class);
        Hyperlink getIt = robot.lookup("#enhancer-get").queryAs(Hyperlink.class);
        waitUntil("the enhancer shows as unavailable", 20, () -> fx(getIt::isVisible));
        assertTrue(enhancer.isDisabled(), "GFPGAN cannot be chosen without its checkpoint");
        assertEquals(Enhancer.NONE, window.model.options.get().enhancer());
        String reason = robot.lookup("#enhancer-missing").queryAs(Label.class).getText();
        assertTrue(reason.contains("unavailable") && reason.contains(Checkpoint.GFPGAN.file()), reason);
        screenshot(stage.getScene(), "enhancer-unavailable");

        robot.clickOn("#enhancer-get");
        waitUntil(
                "the Models tab opens",
                10,
                () -> fx(() -> window.tabs
                        .getSelectionModel()
                        .getSelectedItem()
                        .getId()
                        .equals("tab-models")));
        screenshot(stage.getScene(), "enhancer-get-it-models");

        // The file arrives (as a download would put it): the option comes back.
        Files.createFile(dir.resolve(Checkpoint.GFPGAN.file()));
        fx(() -> {
            window.model.checkpointsChanged.set(window.model.checkpointsChanged.get() + 1);
            return null;
        });
        robot.clickOn(fx(() -> window.tabs.lookup("#tab-studio .tab-label")));
        waitUntil("the enhancer is available again", 20, () -> fx(() -> !enhancer.isDisabled()));
        assertFalse(getIt.isVisible());
        robot.clickOn("#enhancer");
        robot.clickOn("GFPGAN");
        waitUntil("GFPGAN is chosen", 10, () -> window.model.options.get().enhancer() == Enhancer.GFPGAN);
        screenshot(stage.getScene(), "enhancer-available");
    }

    @Test
    void longErrorTextsWrap(FxRobot robot) throws Exception {
        String longText = "x".repeat(40) + " the checkpoint " + "/very/long/folder/name".repeat(30)
                + " cannot be read because it is not there and it is needed for this render".repeat(3);
        fx(() -> Dialogs.error(stage, "Cannot start the render", longText));
        waitUntil("the dialog shows", 10, () -> errorDialog().isPresent());
        DialogPane p = errorDialog().orElseThrow();
        double width = fx(() -> p.getScene().getWindow().getWidth());
        assertTrue(width < 800, "the dialog stays narrow (" + width + " px): long texts wrap");
        Label text = (Label) p.lookup("#error-message");
        assertTrue(fx(() -> text.getHeight()) > 3 * fx(() -> text.getFont().getSize()), "the text wraps");
        screenshot(p.getScene(), "error-dialog-wraps");
        robot.clickOn("OK");
    }
}
