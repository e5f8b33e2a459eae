package studio.job;

import java.util.regex.Pattern;

/**
 * Says "the disk is full" when a write failed for want of space, whichever layer reported it:
 * Java's "No space left on device", or FFmpeg's bare errno ("error -28", ENOSPC; "-122",
 * EDQUOT) that JavaCV passes on in its exception text.
 */
public final class DiskSpace {
    private static final Pattern FFMPEG_NO_SPACE = Pattern.compile("error (-28|-122)\\b");

    private DiskSpace() {}

    public static boolean isFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No space left on device")
                    || m.contains("Disk quota exceeded")
                    || FFMPEG_NO_SPACE.matcher(m).find()) return true;
        }
        return false;
    }

    /** The reason in one short line: "the disk is full" for want of space, else the first line of the message. */
    public static String explain(Throwable e) {
        if (isFull(e)) return "the disk is full";
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
}
