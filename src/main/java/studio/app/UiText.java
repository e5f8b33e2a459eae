package studio.app;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Messages from the layers below (engines, loaders, downloader), which speak English and name CLI
 * commands, made fit for the window: the known ones come from the bundles (so they are in the UI's
 * language), and any CLI hint left in another one points to the Models tab instead.
 */
final class UiText {
    private UiText() {}

    private record Known(Pattern pattern, String key) {}

    /** Known messages, most specific first; each group becomes a {n} of the bundle text. */
    private static final List<Known> KNOWN = List.of(
            known(
                    "the sadtalker engine needs (.+) and (.+) \\(run: studio models download [^;]*;"
                            + " see: studio models list\\)",
                    "ui.engineNeeds"),
            known(
                    "(.+): not found \\(also looked in (.+)\\); get it from (\\S+) or run: studio models download"
                            + " \\S+, or turn the enhancer off",
                    "ui.gfpganNotFound"),
            known(
                    "(.+): checkpoint not found \\(get it from (\\S+) or run: studio models download \\S+\\)",
                    "ui.checkpointNotFound"),
            known("(.+): file not found", "ui.fileNotFound"),
            known("(.+): not an image \\(the file is empty\\)", "ui.imageEmpty"),
            known("(.+): not an image", "ui.notImage"),
            known("(.+): is not a regular file \\(a folder, device or pipe\\)", "ui.notRegular"),
            known("(.+): the audio file is empty \\(0 bytes\\)", "ui.audioEmpty"),
            known("(.+): unreadable audio: not a sound file FFmpeg can decode", "ui.notAudio"),
            known("(.+): no audio track", "ui.noAudioTrack"),
            known("(.+): not a checkpoint \\(neither safetensors nor a PyTorch file\\)", "ui.notCheckpoint"),
            known("(.+): LoRA '(.+)' not found", "ui.loraNotFound"),
            known("the prompt uses <lora:(.+)> but no LoRA folder was given", "ui.loraNoFolder"),
            known("(.+): a mask needs a start picture \\(the picture to inpaint\\)", "ui.maskNeedsStart"),
            known("(.+): the file is (\\d+) MiB, over the (\\d+) MiB limit for pictures", "ui.pictureFileTooLarge"),
            known(
                    "(.+): the picture declares ([\\d,]+) pixels, over the (\\d+)-megapixel limit \\(scale it down\\)",
                    "ui.pictureTooLarge"),
            known("(.+): cannot read: (.+)", "ui.cannotRead"),
            known("(.+): cannot read \\((.+)\\)", "ui.cannotRead"),
            known("(.+): unreadable audio \\((.+)\\)", "ui.unreadableAudio"));

    private static Known known(String regex, String key) {
        return new Known(Pattern.compile(regex, Pattern.DOTALL), key);
    }

    /** The message as the app shows it. */
    static String of(String message) {
        if (message == null || message.isBlank()) return Messages.t("error.noDetail");
        for (Known k : KNOWN) {
            Matcher m = k.pattern().matcher(message);
            if (m.matches() && Messages.has(k.key())) {
                Object[] groups = new Object[m.groupCount()];
                for (int i = 0; i < groups.length; i++) groups[i] = m.group(i + 1);
                return Messages.f(k.key(), groups);
            }
        }
        return withoutCliHints(message);
    }

    /** CLI hints ("run: studio models download X", "see: studio models list") pointed at the Models tab. */
    static String withoutCliHints(String message) {
        String s = message.replaceAll(
                "\\s*\\(run: studio models download [^;)]*(; see: studio models list)?\\)",
                " (" + Messages.t("ui.hint.modelsTab") + ")");
        s = s.replaceAll("\\s*\\(see: studio models list\\)", " (" + Messages.t("ui.hint.seeModelsTab") + ")");
        s = s.replaceAll("run: studio models download \\S+", Messages.t("ui.hint.downloadIt"));
        return s.replaceAll("studio models (list|download|verify)", Messages.t("ui.hint.theModelsTab"));
    }
}
