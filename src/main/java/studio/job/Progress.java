package studio.job;

import java.time.Duration;

/** One progress report: a stage, how far it is, and how long it took and will take. */
public record Progress(Stage stage, long done, long total, Duration elapsed, Duration remaining, String message) {
    public double fraction() {
        return total <= 0 ? 0 : Math.min(1.0, (double) done / total);
    }

    /** e.g. "render 120/250 frames, 0:12 elapsed, 0:13 left". */
    public String describe() {
        StringBuilder sb = new StringBuilder(stage.label);
        if (total > 0) sb.append(' ').append(done).append('/').append(total);
        if (message != null && !message.isEmpty()) sb.append(' ').append(message);
        sb.append(", ").append(clock(elapsed)).append(" elapsed");
        if (remaining != null) sb.append(", ").append(clock(remaining)).append(" left");
        return sb.toString();
    }

    public static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
