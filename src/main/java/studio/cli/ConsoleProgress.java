package studio.cli;

import java.io.PrintStream;
import java.util.EnumMap;
import studio.job.Progress;
import studio.job.ProgressListener;
import studio.job.Stage;

/** Progress on the terminal: one line rewritten in place, or a line per stage when not a terminal. */
final class ConsoleProgress implements ProgressListener {
    private final PrintStream out;
    private final boolean quiet;
    private final boolean tty = System.console() != null;
    private final EnumMap<Stage, Long> lastPrint = new EnumMap<>(Stage.class);
    private boolean open;

    ConsoleProgress(PrintStream out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    @Override
    public synchronized void onProgress(Progress p) {
        if (quiet) return;
        long now = System.nanoTime();
        boolean end = p.total() > 0 && p.done() >= p.total();
        if (tty) {
            out.print("\r" + pad(bar(p) + " " + p.describe()));
            open = true;
            if (end) newline();
        } else {
            // Logs: each stage's end, and its progress at most every 5 s.
            Long prev = lastPrint.get(p.stage());
            if (end || (p.done() > 0 && (prev == null || now - prev > 5_000_000_000L))) {
                out.println(p.describe());
                lastPrint.put(p.stage(), now);
            }
        }
    }

    @Override
    public synchronized void onWarning(String message) {
        if (open) newline();
        out.println("warning: " + message);
    }

    synchronized void done() {
        if (open) newline();
    }

    private void newline() {
        out.println();
        open = false;
    }

    private static String bar(Progress p) {
        int filled = (int) Math.round(p.fraction() * 20);
        return "[" + "#".repeat(filled) + " ".repeat(20 - filled) + "]";
    }

    private static String pad(String s) {
        return s.length() >= 79 ? s : s + " ".repeat(79 - s.length());
    }
}
