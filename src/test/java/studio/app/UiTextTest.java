package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioLoader;
import studio.diffusion.Lora;
import studio.diffusion.PortraitGenerator.Settings;
import studio.face.Portrait;
import studio.job.StudioException;
import studio.pipeline.PortraitJob;
import studio.weights.Checkpoints;

/**
 * The messages the layers below really raise for the files a user picks in the window (not copies
 * of their text) come out of {@link UiText} in the UI's language: in the Chinese UI no English word
 * is left but the file's own path and names that are not translated (LoRA, safetensors, PyTorch).
 */
class UiTextTest {
    @TempDir
    Path dir;

    private static final Pattern WORD = Pattern.compile("[A-Za-z]{3,}");
    private static final List<String> NAMES = List.of("LoRA", "lora", "safetensors", "PyTorch", "MiB");

    @AfterEach
    void english() {
        Messages.use(Locale.ENGLISH);
    }

    @Test
    void inputProblemsAreTranslated() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.png"), "a shopping list\n");
        Path empty = Files.createFile(dir.resolve("empty.png"));
        Path noFile = dir.resolve("gone.png");
        Path notModel = Files.writeString(dir.resolve("holiday.safetensors"), "not a model\n");
        Path notSound = Files.writeString(dir.resolve("voice.wav"), "not a sound\n");
        Path model = Files.writeString(dir.resolve("model.safetensors"), "x");
        Settings s = new Settings("a teacher <lora:grain:0.5>", "", 1, 1, 7, 64, 64, "Euler", 1);
        List<Executable> problems = List.of(
                () -> Portrait.load(text),
                () -> Portrait.load(empty),
                () -> Portrait.load(noFile),
                () -> Portrait.load(dir),
                () -> Checkpoints.open(notModel).close(),
                () -> AudioLoader.load(notSound),
                () -> AudioLoader.load(empty),
                () -> Lora.resolve(dir, "grain"),
                () -> Lora.resolve(null, "grain"),
                () -> new PortraitJob.Request(model, dir, s, null, 0, dir.resolve("mask.png"), null));
        List<String> english = new ArrayList<>();
        for (Executable p : problems)
            english.add(assertThrows(StudioException.class, p).getMessage());

        Messages.use(Locale.SIMPLIFIED_CHINESE);
        for (String message : english) {
            // the files' own paths are not text to translate
            String shown = UiText.of(message).replaceAll(Pattern.quote(dir.toString()) + "[^：:\\s（(，]*", "");
            Matcher m = WORD.matcher(shown);
            while (m.find()) {
                String w = m.group();
                assertTrue(
                        NAMES.contains(w) || w.equals("grain"),
                        "English left in the Chinese UI: \"" + w + "\" in " + shown + " (from: " + message + ")");
            }
        }
        // and the English UI keeps the file and the problem
        Messages.use(Locale.ENGLISH);
        assertEquals(text + ": not an image.", UiText.of(english.getFirst()));
    }
}
