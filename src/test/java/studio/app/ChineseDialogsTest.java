package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Chinese UI translates what reaches it from below and JavaFX's own dialog texts (issue 17,
 * item 8): the engine's "needs checkpoints" line, a loader's error, the dialog's button and
 * details link, the log window's Close button; no CLI hint ("studio models ...") shows.
 */
@ExtendWith(ApplicationExtension.class)
class ChineseDialogsTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_ZH);
    }

    private static List<String> buttonTexts(DialogPane p) {
        return fx(() ->
                p.lookupAll(".button").stream().map(n -> ((Button) n).getText()).toList());
    }

    @Test
    void errorsButtonsAndHintsAreChinese(FxRobot robot) throws Exception {
        fx(() -> {
            window.model.checkpointDir.set(dir);
            return null;
        });
        robot.clickOn("#engine");
        robot.clickOn(Messages.t("options.engine.sadtalker"));
        Label why = robot.lookup("#engine-why").queryAs(Label.class);
        waitUntil(
                "the engine line says what is missing",
                20,
                () -> fx(why::getText).contains("SadTalker 引擎需要"));
        String line = fx(why::getText);
        assertTrue(line.contains("“模型”页") && !line.contains("studio models") && !line.contains("run:"), line);
        screenshot(stage.getScene(), "zh-engine-needs");

        Path fake = dir.resolve("holiday.png");
        Files.writeString(fake, "not a picture");
        type(robot, "#portrait-field", fake.toString());
        waitUntil("the error dialog shows", 20, () -> errorDialog().isPresent());
        DialogPane p = errorDialog().orElseThrow();
        String text = errorText(p);
        assertTrue(text.contains("holiday.png：不是图片"), text);
        assertEquals(List.of("确定"), buttonTexts(p));
        Hyperlink details = (Hyperlink) p.lookup(".details-button");
        assertEquals("显示详细信息", fx(details::getText));
        robot.clickOn(details);
        waitUntil("the log shows", 10, () -> fx(p::isExpanded));
        assertEquals("隐藏详细信息", fx(details::getText));
        screenshot(p.getScene(), "zh-error-dialog");
        robot.clickOn("确定");
        waitUntil("the dialog closes", 10, () -> errorDialog().isEmpty());

        robot.clickOn("#portrait-view");
        robot.press(KeyCode.CONTROL).press(KeyCode.L).release(KeyCode.L).release(KeyCode.CONTROL);
        waitUntil("the log window shows", 10, () -> logDialog().isPresent());
        DialogPane log = logDialog().orElseThrow();
        assertEquals(List.of("关闭"), buttonTexts(log));
        screenshot(log.getScene(), "zh-log-window");
        robot.clickOn("关闭");
        waitUntil("the log window closes", 10, () -> logDialog().isEmpty());
        assertFalse(fx(() -> window.output.jobStatus.getText()).contains("studio models"));
    }

    private static Optional<DialogPane> logDialog() {
        return fx(() -> Window.getWindows().stream()
                .filter(Window::isShowing)
                .map(w -> (Node) w.getScene().getRoot())
                .filter(r -> r instanceof DialogPane && "log-dialog".equals(r.getId()))
                .map(r -> (DialogPane) r)
                .findFirst());
    }
}
