package studio.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import studio.app.Main;

/** {@code app}: opens the desktop studio. */
@Command(name = "app", mixinStandardHelpOptions = true, description = "Open the Talking Head Studio desktop app.")
public final class AppCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Main.main(new String[0]);
        return 0;
    }
}
