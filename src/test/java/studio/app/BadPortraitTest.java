package studio.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** A bad file dropped on (or typed into) the portrait area gives a plain-words dialog, no stack trace. */
@ExtendWith(ApplicationExtension.class)
class BadPortraitTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void droppedTextFileGivesPlainWordsError(FxRobot robot) throws Exception {
        Path fake = dir.resolve("holiday.png");
        Files.writeString(fake, "this is a shopping list, not a picture\n");
        dropFile(robot, robot.lookup("#portrait-area").query(), fake.toFile());
        waitUntil("the error dialog shows", 20, () -> errorDialog().isPresent());
        DialogPane dialog = errorDialog().orElseThrow();
        String text = errorText(dialog);
        assertTrue(text.contains("This picture cannot be used"), text);
        assertTrue(
                text.contains("holiday.png") && text.contains("not an image"),
                "names the file and the problem: " + text);
        assertFalse(
                text.contains("Exception") || text.contains("\tat ") || text.contains(".java:"),
                "no stack trace: " + text);
        screenshot(dialog.getScene(), "bad-portrait-dialog");

        // The log is one click away.
        robot.clickOn(fx(() -> (Node) dialog.lookup(".details-button")));
        waitUntil("the log shows", 10, () -> fx(dialog::isExpanded));
        TextArea log = (TextArea) dialog.lookup("#log-text");
        assertTrue(log.getText().contains("portrait rejected") && log.getText().contains("holiday.png"), log.getText());
        screenshot(dialog.getScene(), "bad-portrait-dialog-log");
        robot.clickOn(
                fx(() -> (Node) dialog.lookupButton(dialog.getButtonTypes().getFirst())));
        waitUntil("the dialog is closed", 10, () -> errorDialog().isEmpty());
        assertNull(window.inputs.portrait.image(), "no portrait kept");
        assertTrue(robot.lookup("#face-status").queryLabeled().getText().contains("No portrait"));

        // A sound file typed where the portrait goes, then Render without a portrait.
        type(robot, "#portrait-field", "samples/speech.wav");
        waitUntil("the error dialog shows", 20, () -> errorDialog().isPresent());
        String text2 = errorText(errorDialog().orElseThrow());
        assertTrue(text2.contains("speech.wav") && text2.contains("not an image"), text2);
        robot.clickOn(fx(() -> (Node) errorDialog().orElseThrow().lookup(".button-bar .button")));
        waitUntil("the dialog is closed", 10, () -> errorDialog().isEmpty());
        assertEquals("", window.inputs.portraitField.getText(), "the rejected path does not stay in the field");
        // Render is off, with the reason beside it, rather than a dialog after the click.
        assertTrue(robot.lookup("#render").query().isDisabled());
        assertEquals(
                "Choose a portrait first.",
                robot.lookup("#render-why").queryLabeled().getText());
        robot.clickOn("#render");
        assertTrue(errorDialog().isEmpty());
        assertTrue(window.queue().jobs().isEmpty(), "nothing queued");
    }
}
