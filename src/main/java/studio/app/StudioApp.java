package studio.app;

import javafx.application.Application;
import javafx.stage.Stage;
import studio.nn.NativeMemory;

/** Talking Head Studio's desktop app. Start it with {@link Main} (JavaFX runs from the class path). */
public final class StudioApp extends Application {
    private StudioWindow window;

    @Override
    public void start(Stage stage) {
        Settings settings = Settings.forUser();
        Messages.use(settings.locale());
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> AppLog.error("uncaught on " + t.getName(), e));
        window = new StudioWindow(stage, settings);
        stage.show();
        AppLog.info("window shown; native allocator: " + NativeMemory.describe());
    }

    public StudioWindow window() {
        return window;
    }
}
