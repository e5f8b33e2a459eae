package studio.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Simplified Chinese UI at the default window size: every text fits; switching language in Settings. */
@ExtendWith(ApplicationExtension.class)
class ChineseUiTest extends UiTestSupport {
    @TempDir
    Path out;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_ZH);
    }

    @Test
    void chineseLabelsFitAndLanguageSwitches(FxRobot robot) throws Exception {
        assertEquals(StudioWindow.DEFAULT_WIDTH, stage.getScene().getWidth());
        assertEquals("说话头像工作室", stage.getTitle());
        assertEquals("渲染(_R)", robot.lookup("#render").queryButton().getText());

        type(robot, "#portrait-field", "samples/astronaut.png");
        type(robot, "#audio-field", "samples/speech.wav");
        type(robot, "#output-dir", out.toString());
        Label duration = robot.lookup("#audio-duration").queryAs(Label.class);
        waitUntil(
                "inputs loaded and the face found",
                60,
                () -> duration.getText().contains("秒") && window.inputs.portrait.face() != null);
        robot.clickOn("#render");
        waitUntil(
                "the render is done",
                120,
                () -> !window.queue().jobs().isEmpty()
                        && window.queue().jobs().getFirst().status().finished());
        waitUntil(
                "the video plays",
                30,
                () -> window.player().framesShownProperty().get() >= 5);
        assertTrue(window.output.jobStatus.getText().startsWith("渲染 #1 完成"), window.output.jobStatus.getText());

        assertNoClipping("Chinese, Studio tab");
        screenshot(stage.getScene(), "zh-studio");
        TabPane tabs = window.tabs;
        robot.clickOn(fx(() -> tabs.lookup("#tab-models .tab-label")));
        waitUntil("the Models tab shows", 10, () -> tabs.getSelectionModel().getSelectedIndex() == 1);
        assertNoClipping("Chinese, Models tab");
        screenshot(stage.getScene(), "zh-models");

        // Settings > Language > English.
        robot.clickOn("设置(T)");
        robot.clickOn("语言");
        robot.clickOn("English（英语）");
        waitUntil("the UI is in English", 10, () -> "Talking Head Studio".equals(stage.getTitle()));
        assertEquals(1, window.tabs.getSelectionModel().getSelectedIndex(), "still on the Models tab");
        assertEquals(Settings.LANG_EN, settings.language(), "the choice is remembered");
        assertNoClipping("English, Models tab");
        robot.clickOn(fx(() -> window.tabs.lookup("#tab-studio .tab-label")));
        waitUntil(
                "the Studio tab shows",
                10,
                () -> window.tabs.getSelectionModel().getSelectedIndex() == 0);
        assertEquals("samples/astronaut.png", window.inputs.portraitField.getText(), "inputs survive the switch");
        assertNotNull(window.inputs.portrait.image());
        assertTrue(window.output.jobStatus.getText().startsWith("Render #1 done"), window.output.jobStatus.getText());
        assertNoClipping("English, Studio tab");
        screenshot(stage.getScene(), "en-after-switch");
    }

    /** The check itself: a label too narrow for its text is reported. */
    @Test
    void clippingCheckSeesACutLabel() {
        Label narrow = new Label("这是一段很长很长的说明文字，放不进这么窄的标签");
        narrow.setId("too-narrow");
        narrow.setMaxWidth(60);
        fx(() -> window.inputs.getChildren().add(narrow));
        List<String> clipped = clippedLabels(stage.getScene().getRoot());
        assertEquals(1, clipped.size(), String.join("\n", clipped));
        assertTrue(clipped.getFirst().contains("#too-narrow"), clipped.getFirst());
    }

    private void assertNoClipping(String where) {
        List<String> clipped = clippedLabels(stage.getScene().getRoot());
        assertTrue(clipped.isEmpty(), where + ": clipped texts:\n" + String.join("\n", clipped));
    }
}
