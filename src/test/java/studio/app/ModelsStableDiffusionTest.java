package studio.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Models tab's Stable Diffusion entry (issue 17, item 7): optional, never downloaded, found when
 * the checkpoint the Generate window last loaded is there; its button opens the Generate window.
 */
@ExtendWith(ApplicationExtension.class)
class ModelsStableDiffusionTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    private String sdRowText() {
        return fx(() -> String.join(
                "\n",
                stage.getScene().getRoot().lookup("#model-sd").lookupAll("*").stream()
                        .filter(n -> n instanceof Labeled)
                        .map(n -> ((Labeled) n).getText())
                        .toList()));
    }

    /** The Stable Diffusion entry: what it enables, where it comes from, its state, a way to the Generate window. */
    @Test
    void stableDiffusionEntry(FxRobot robot) throws Exception {
        Path sd = dir.resolve("v1-5-pruned-emaonly.safetensors");
        Files.write(sd, new byte[] {1, 2, 3});
        showModelsOf(robot, dir);

        String text = sdRowText();
        for (String s : List.of(
                "Stable Diffusion",
                "optional",
                "not chosen yet",
                "\"Generate portrait…\" window",
                "inpainting",
                "LoRA",
                ".safetensors",
                ".ckpt",
                "diffusers folder",
                "Nothing is downloaded",
                "CreativeML OpenRAIL-M",
                "Open \"Generate portrait…\"")) assertTrue(text.contains(s), s + " in:\n" + text);
        String summary = robot.lookup("#models-summary").queryLabeled().getText();
        assertTrue(summary.startsWith("0 of 8"), "not one of the catalogued checkpoints: " + summary);
        assertEquals(8, window.models.rows.size());

        // The checkpoint the Generate window last loaded: found.
        settings.setSdCheckpoint(sd);
        robot.clickOn("#models-recheck");
        waitUntil(
                "the entry says found",
                10,
                () -> fx(() -> window.models.sdStatus.getText()).startsWith("✔ found: "));
        assertTrue(fx(() -> window.models.sdStatus.getText())
                .contains(sd.getFileName().toString()));
        scrollTo(robot.lookup("#model-sd").query());
        List<String> clipped = clippedLabels(stage.getScene().getRoot());
        assertTrue(clipped.isEmpty(), String.join("\n", clipped));
        screenshot(stage.getScene(), "models-sd-found");

        // Gone from disk: not chosen yet.
        Files.delete(sd);
        robot.clickOn("#models-recheck");
        waitUntil(
                "the entry says not chosen",
                10,
                () -> fx(() -> window.models.sdStatus.getText()).equals("not chosen yet"));
        screenshot(stage.getScene(), "models-sd-not-chosen");
        Files.write(sd, new byte[] {1, 2, 3});

        fx(() -> {
            window.switchLanguage(Settings.LANG_ZH);
            return null;
        });
        waitUntil(
                "every checkpoint is checked",
                30,
                () -> fx(() -> window.models.rows.stream().noneMatch(r -> r.state == ModelsView.State.CHECKING)));
        text = sdRowText();
        for (String s : List.of(
                "Stable Diffusion 肖像生成",
                "可选",
                "✔ 已找到：" + sd.toAbsolutePath().normalize(),
                "“生成肖像…”窗口",
                "局部重绘",
                "diffusers 文件夹",
                "不会为它下载",
                "CreativeML OpenRAIL-M",
                "打开“生成肖像…”")) assertTrue(text.contains(s), s + " in:\n" + text);
        scrollTo(robot.lookup("#model-sd").query());
        clipped = clippedLabels(stage.getScene().getRoot());
        assertTrue(clipped.isEmpty(), String.join("\n", clipped));
        screenshot(stage.getScene(), "zh-models-sd-found");

        clickInView(robot, "#models-sd-open");
        waitUntil(
                "the generate window shows",
                10,
                () -> fx(() -> window.generateDialog() != null
                        && window.generateDialog().window.isShowing()));
        GeneratePortraitDialog d = window.generateDialog();
        assertEquals("生成肖像", fx(() -> d.window.getTitle()));
        assertEquals(sd.toString(), fx(() -> d.checkpoint.getText()), "it starts with the remembered checkpoint");
        screenshot(d.window.getScene(), "zh-models-sd-generate-window");
    }
}
