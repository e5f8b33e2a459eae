package studio.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import studio.batch.BatchCommand;
import studio.bench.BenchCommand;
import studio.job.CancelledException;
import studio.job.StudioException;
import studio.nn.NativeMemory;
import studio.nn.TorchEngine;

/** The command line: one command, one subcommand per job. */
@Command(
        name = "studio",
        mixinStandardHelpOptions = true,
        version = "Talking Head Studio 0.1.0",
        description = "Turns a portrait and a voice clip into a talking-head MP4.",
        subcommands = {
            RenderCommand.class,
            InfoCommand.class,
            ModelsCommand.class,
            PortraitCommand.class,
            AppCommand.class,
            BatchCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class StudioCli implements Runnable {
    /** Exit code for bad input (missing or unreadable file, no face, bad option value). */
    public static final int EXIT_USER_ERROR = 2;

    public static final int EXIT_CANCELLED = 130;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        TorchEngine.offline(); // libtorch comes from the Maven jars; never download
        NativeMemory.keepFreedMemory();
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int execute(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StudioCli());
        // Each benchmark is a subcommand with its own options; "bench memory ... -- OPTIONS" hands the
        // render options after "--" to its renders as positional parameters (picocli's end of options).
        cl.setExecutionExceptionHandler(StudioCli::handle);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_USER_ERROR;
        });
        return cl;
    }

    /** User errors are one line and exit 2; only unexpected failures show a trace. */
    private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof StudioException) {
            err.println("error: " + ex.getMessage());
            return EXIT_USER_ERROR;
        }
        if (ex instanceof CancelledException) {
            err.println("cancelled");
            return EXIT_CANCELLED;
        }
        err.println("internal error: " + ex);
        ex.printStackTrace(err);
        return 1;
    }
}
