package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Labeled;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.weights.Checkpoint;

/**
 * The Models tab says what each file really does (issue 17, item 7): the never-loaded RetinaFace
 * and the optional ParseNet do not claim GFPGAN needs them; "Download all required" fetches the
 * required ones; a failed download names the cause in words, without "null" or CLI wording.
 */
@ExtendWith(ApplicationExtension.class)
class ModelsTextsTest extends UiTestSupport {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    private String rowText(String file) {
        return fx(() -> String.join(
                "\n",
                window.models.row(file).lookupAll(".label").stream()
                        .map(n -> ((Labeled) n).getText())
                        .toList()));
    }

    @Test
    void honestTextsAndAFailedDownloadInWords(FxRobot robot) throws Exception {
        showModelsOf(robot, dir);

        String retina = rowText(Checkpoint.RETINAFACE.file()), parse = rowText(Checkpoint.PARSENET.file());
        for (String t : List.of(retina, parse)) assertFalse(t.contains("GFPGAN enhancer is unavailable"), t);
        assertTrue(retina.contains("never loads it"), retina);
        assertTrue(parse.contains("still works"), parse);
        screenshot(stage.getScene(), "models-honest-texts");

        // No network: every connection is refused (a proxy on a closed port stands in for a dead link).
        String[] keys = {"https.proxyHost", "https.proxyPort", "http.proxyHost", "http.proxyPort"};
        String[] before = new String[keys.length];
        for (int i = 0; i < keys.length; i++) before[i] = System.getProperty(keys[i]);
        System.setProperty("https.proxyHost", "127.0.0.1");
        System.setProperty("https.proxyPort", "9");
        System.setProperty("http.proxyHost", "127.0.0.1");
        System.setProperty("http.proxyPort", "9");
        try {
            robot.clickOn("#download-required");
            waitUntil("the download fails", 60, () -> errorDialog().isPresent());
        } finally {
            for (int i = 0; i < keys.length; i++)
                if (before[i] == null) System.clearProperty(keys[i]);
                else System.setProperty(keys[i], before[i]);
        }
        DialogPane p = errorDialog().orElseThrow();
        String text = errorText(p);
        assertTrue(text.contains("Cannot download " + Checkpoint.SADTALKER_256.file()), text);
        assertTrue(text.contains("cannot be reached"), text);
        for (String bad : List.of("null", "command", "run ")) assertFalse(text.contains(bad), text);
        screenshot(p.getScene(), "models-download-failed");
        robot.clickOn("OK");
        waitUntil(
                "the rows are back",
                10,
                () -> fx(() -> window.models.rows.stream().noneMatch(r -> r.state == ModelsView.State.DOWNLOADING)));
        assertEquals(ModelsView.State.MISSING, window.models.row(Checkpoint.SADTALKER_256.file()).state);
    }
}
