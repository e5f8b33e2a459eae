package studio.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code app}: opens the desktop studio. */
@Command(name = "app", mixinStandardHelpOptions = true, description = "Open the Talking Head Studio desktop app.")
public final class AppCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        studio.app.Main.main(new String[0]);
        return 0;
    }
}
