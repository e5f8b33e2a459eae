package studio.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The app's log, kept in memory so an error dialog can show it in one click; also echoed to
 * stderr. Stack traces go here, never into the dialogs' text.
 */
public final class AppLog {
    private static final int MAX_LINES = 4000;
    private static final Deque<String> LINES = new ArrayDeque<>();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private AppLog() {}

    public static void info(String message) {
        add("INFO ", message);
    }

    public static void warn(String message) {
        add("WARN ", message);
    }

    public static void error(String message, Throwable t) {
        StringWriter sw = new StringWriter();
        if (t != null) t.printStackTrace(new PrintWriter(sw));
        add("ERROR", message + (t == null ? "" : "\n" + sw));
    }

    private static void add(String level, String message) {
        String line = LocalTime.now().format(TIME) + " " + level + " " + message;
        System.err.println(line);
        synchronized (LINES) {
            LINES.addLast(line);
            while (LINES.size() > MAX_LINES) LINES.removeFirst();
        }
    }

    public static String text() {
        synchronized (LINES) {
            return String.join("\n", LINES);
        }
    }
}
