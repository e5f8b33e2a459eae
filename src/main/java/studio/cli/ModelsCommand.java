package studio.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import studio.job.StudioException;
import studio.weights.ModelCatalog;
import studio.weights.ModelDownloader;

/**
 * {@code studio models list|verify|download}: the checkpoints of {@code checkpoints/catalog.json},
 * whether they are present and usable, and fetching them from their official addresses.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "List, verify and download the model checkpoints (catalog: checkpoints/catalog.json).",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Verify.class, ModelsCommand.Download.class})
public final class ModelsCommand implements Runnable {
    @Mixin
    CheckpointDirOption checkpointDir;

    @Option(
            names = "--catalog",
            paramLabel = "FILE",
            description =
                    "model catalog (default: the app's own checkpoints/catalog.json; a catalog.json in DIR is not read unless named here)")
    Path catalog;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Path dir() {
        return checkpointDir.dir();
    }

    ModelCatalog catalog() {
        return ModelCatalog.trusted(catalog);
    }

    /** The catalog entries named on the command line, else those the subcommand handles by default. */
    static List<ModelCatalog.Entry> select(
            ModelCatalog c, List<String> files, Predicate<ModelCatalog.Entry> byDefault) {
        List<ModelCatalog.Entry> todo = new ArrayList<>();
        if (!files.isEmpty()) for (String f : files) todo.add(c.find(f));
        else for (ModelCatalog.Entry e : c.models()) if (byDefault.test(e)) todo.add(e);
        return todo;
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Show every catalog entry, whether it is present, and what it enables.")
    static final class ListModels implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Override
        public Integer call() {
            PrintWriter out = parent.spec.commandLine().getOut();
            ModelCatalog c = parent.catalog();
            out.printf("Checkpoint folder: %s%n", parent.dir().toAbsolutePath());
            out.printf("%-36s %-9s %-8s %-14s %s%n", "FILE", "STATUS", "NEEDED", "SIZE", "ENABLES");
            for (ModelCatalog.Entry e : c.models()) {
                Path f = parent.dir().resolve(e.file());
                String status = Files.isRegularFile(f)
                        ? "present"
                        : Files.isRegularFile(ModelDownloader.partFile(f)) ? "partial" : "missing";
                String size = e.size() != null
                        ? mb(e.size())
                        : e.approxSize() != null ? e.approxSize().replace("about ", "~") : "?";
                out.printf(
                        "%-36s %-9s %-8s %-14s %s%n",
                        e.file(), status, e.required() ? "required" : "optional", size, e.enables());
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description =
                    "Check present checkpoints: size, digest when known, and that each opens with the expected tensors.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(
                paramLabel = "FILE",
                arity = "0..*",
                description = "files to check (default: every present one, and the required ones)")
        List<String> files = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = parent.spec.commandLine().getOut();
            ModelCatalog c = parent.catalog();
            List<ModelCatalog.Entry> todo = select(
                    c, files, e -> e.required() || Files.exists(parent.dir().resolve(e.file())));
            int bad = 0;
            for (ModelCatalog.Entry e : todo) {
                String problem = ModelCatalog.check(e, parent.dir().resolve(e.file()));
                out.printf("%-36s %s%n", e.file(), problem == null ? "OK" : "FAILED: " + problem);
                if (problem != null) bad++;
            }
            out.flush();
            if (bad > 0)
                throw new StudioException(bad + " checkpoint(s) missing or unusable in "
                        + parent.dir().toAbsolutePath() + " (run: studio models download)");
            return 0;
        }
    }

    @Command(
            name = "download",
            mixinStandardHelpOptions = true,
            description = "Download checkpoints from their official addresses (resumes partial downloads).")
    static final class Download implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "FILE", arity = "0..*", description = "files to download (default: the required ones)")
        List<String> files = new ArrayList<>();

        @Option(names = "--all", description = "download every catalog entry")
        boolean all;

        @Option(
                names = "--read-timeout",
                paramLabel = "SECONDS",
                defaultValue = "60",
                description = "give up when the server sends nothing for this long (default: ${DEFAULT-VALUE})")
        int readTimeout;

        @Override
        public Integer call() {
            PrintWriter out = parent.spec.commandLine().getOut();
            PrintWriter err = parent.spec.commandLine().getErr();
            ModelCatalog c = parent.catalog();
            List<ModelCatalog.Entry> todo = select(c, files, e -> all || e.required());
            if (readTimeout < 1) throw new StudioException("--read-timeout must be at least 1 second");
            ModelDownloader downloader = new ModelDownloader(Duration.ofSeconds(readTimeout), ModelCatalog.MAX_SIZE);
            ModelDownloader.removeStaleParts(
                    parent.dir(),
                    c.models().stream().map(ModelCatalog.Entry::file).toList(),
                    todo.stream().map(ModelCatalog.Entry::file).toList());
            for (ModelCatalog.Entry e : todo) {
                Path target = parent.dir().resolve(e.file());
                if (ModelCatalog.check(e, target) == null) {
                    out.printf("%s: already present%n", e.file());
                    continue;
                }
                out.printf("%s <- %s%n", e.file(), e.url());
                out.flush();
                ProgressBar bar = new ProgressBar(err, e.file());
                try {
                    downloader.download(e, parent.dir(), bar);
                } finally {
                    bar.finish(); // an error message then starts on a line of its own
                }
                out.printf("%s: done%n", e.file());
            }
            out.flush();
            return 0;
        }
    }

    /** One line on the terminal rewritten in place; a line every 5 s in logs. */
    static final class ProgressBar implements ModelDownloader.Listener {
        private final PrintWriter err;
        private final String name;
        private final boolean tty = System.console() != null;
        private final long start = System.nanoTime();
        // In logs the first line comes after 5 s, so a quick failure leaves only its error line.
        private long lastPrint = tty ? start - 1_000_000_000L : start;
        private boolean printed;

        ProgressBar(PrintWriter err, String name) {
            this.err = err;
            this.name = name;
        }

        @Override
        public void progress(long done, long total) {
            long now = System.nanoTime();
            if (now - lastPrint < (tty ? 200_000_000L : 5_000_000_000L) && done != total) return;
            lastPrint = now;
            double secs = Math.max(1e-3, (now - start) / 1e9);
            String rate = mb((long) (done / secs)) + "/s";
            String last;
            if (total > 0) {
                int filled = (int) (20.0 * done / total);
                last = String.format(
                        "[%s%s] %3d%% %s / %s %s",
                        "#".repeat(filled),
                        " ".repeat(20 - filled),
                        (int) (100.0 * done / total),
                        mb(done),
                        mb(total),
                        rate);
            } else last = String.format("%s %s %s", name, mb(done), rate);
            if (tty) err.print("\r" + last);
            else err.println(last);
            printed = true;
            err.flush();
        }

        void finish() {
            if (tty && printed) err.println();
            err.flush();
        }
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    /** Runs the command with user errors as one line on stderr and exit code 2. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new ModelsCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof StudioException) {
                line.getErr().println("error: " + ex.getMessage());
                line.getErr().flush();
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }
}
