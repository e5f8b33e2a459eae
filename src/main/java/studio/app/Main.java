package studio.app;

import javafx.application.Application;
import studio.nn.NativeMemory;

/**
 * Launcher with a plain {@code main}: a class that extends Application cannot be the main class
 * when JavaFX is on the class path rather than the module path.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        NativeMemory.keepFreedMemory(); // before libtorch starts its threads
        Application.launch(StudioApp.class, args);
    }
}
