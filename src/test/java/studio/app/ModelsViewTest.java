package studio.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.weights.SafeTensorsWriter;

/** The Models view with a present-and-valid, a present-but-corrupt and missing checkpoints. */
@ExtendWith(ApplicationExtension.class)
class ModelsViewTest extends UiTestSupport {
    static final String VALID = "SadTalker_V0.0.2_256.safetensors",
            CORRUPT = "mapping_00229-model.pth.tar",
            MISSING = "GFPGANv1.4.pth";

    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void showsValidCorruptAndMissingCheckpoints(FxRobot robot) throws Exception {
        // A checkpoint with the key prefixes the catalog expects (tiny tensors), and a "download" cut short.
        SafeTensorsWriter w = new SafeTensorsWriter();
        for (String prefix : List.of("audio2exp.", "audio2pose.", "face_3drecon.", "generator.", "kp_extractor."))
            w.put(prefix + "weight", new float[] {1, 2}, 2);
        w.write(dir.resolve(VALID));
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Files.write(dir.resolve(CORRUPT), junk);

        showModelsOf(robot, dir);
        assertEquals(dir, settings.checkpointDir(), "the folder is remembered");

        ModelsView.Row valid = window.models.row(VALID),
                corrupt = window.models.row(CORRUPT),
                missing = window.models.row(MISSING);
        assertEquals(ModelsView.State.VALID, valid.state);
        assertEquals(ModelsView.State.INVALID, corrupt.state, "corrupt: " + corrupt.problem);
        assertEquals(ModelsView.State.MISSING, missing.state);
        assertEquals(8, window.models.rows.size(), "every catalogued checkpoint is listed");
        assertEquals(
                6,
                window.models.rows.stream()
                        .filter(r -> r.state == ModelsView.State.MISSING)
                        .count());

        assertTrue(valid.status.getText().contains("present and valid"), valid.status.getText());
        assertTrue(corrupt.status.getText().contains("present but unusable"), corrupt.status.getText());
        assertTrue(
                corrupt.status.getText().length() > "present but unusable: ".length() + 5,
                "says what is wrong: " + corrupt.status.getText());
        assertFalse(corrupt.status.getText().contains("Exception"), corrupt.status.getText());
        assertTrue(missing.status.getText().contains("missing"));
        assertFalse(valid.download.isVisible(), "no Download for a valid file");
        assertTrue(corrupt.download.isVisible() && corrupt.download.getText().equals("Download again"));
        assertTrue(missing.download.isVisible() && missing.download.getText().equals("Download"));
        String summary = robot.lookup("#models-summary").queryLabeled().getText();
        assertTrue(summary.startsWith("1 of 8") && summary.contains("built-in engine"), summary);
        String rowText = fx(() -> String.join(
                "\n",
                missing.lookupAll(".label").stream()
                        .map(n -> ((javafx.scene.control.Labeled) n).getText())
                        .toList()));
        assertTrue(
                rowText.contains("Enables: the GFPGAN enhancer")
                        && rowText.contains("Without it: the GFPGAN enhancer is unavailable")
                        && rowText.contains(dir.resolve(MISSING).toString()),
                rowText);

        List<String> clipped = clippedLabels(stage.getScene().getRoot());
        assertTrue(clipped.isEmpty(), String.join("\n", clipped));
        screenshot(stage.getScene(), "models-view");
    }
}
