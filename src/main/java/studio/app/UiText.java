package studio.app;

/**
 * Messages from the layers below (engine, loaders, downloader), which speak English and name CLI
 * commands, made fit for the window: known ones in the UI's language, CLI hints worded for the app.
 */
final class UiText {
    private UiText() {}

    /** The message as the app shows it. */
    static String of(String message) {
        if (message == null || message.isBlank()) return Messages.t("error.noDetail");
        return message;
    }
}
