package studio.face;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Pictures and text about detected faces, for {@code info IMAGE} and {@code --debug-faces}. */
public final class FaceDebug {
    private FaceDebug() {}

    /**
     * A copy of {@code img} with each face's box, rank and score, and its 68 landmarks (jaw,
     * brows, nose, eyes and mouth in different colours); the primary face is drawn in green.
     */
    public static BufferedImage draw(BufferedImage img, List<Face> faces) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double unit = Math.max(1, Math.max(img.getWidth(), img.getHeight()) / 512.0);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) Math.round(12 * unit)));
        for (int k = 0; k < faces.size(); k++) {
            Face f = faces.get(k);
            g.setColor(k == 0 ? new Color(0, 220, 0) : new Color(255, 170, 0));
            g.setStroke(new BasicStroke((float) (2 * unit)));
            g.draw(new Rectangle2D.Double(f.x(), f.y(), f.width(), f.height()));
            String label = String.format(Locale.ROOT, "#%d %.2f", k + 1, f.score());
            g.drawString(
                    label, (float) f.x(), (float) Math.max(g.getFontMetrics().getAscent(), f.y() - 3 * unit));
            if (f.landmarks() == null) continue;
            double r = 1.6 * unit;
            for (int i = 0; i < 68; i++) {
                g.setColor(partColour(i));
                g.fill(new Ellipse2D.Double(f.lx(i) - r, f.ly(i) - r, 2 * r, 2 * r));
            }
        }
        g.dispose();
        return out;
    }

    private static Color partColour(int i) {
        if (i < 17) return new Color(255, 255, 255); // jaw
        if (i < 27) return new Color(255, 220, 0); // brows
        if (i < 36) return new Color(0, 200, 255); // nose
        if (i < 48) return new Color(0, 255, 120); // eyes
        return new Color(255, 60, 120); // mouth
    }

    /** One line about the faces, e.g. "2 faces; primary: box 181,73 83x102, score 0.99". */
    public static String describe(List<Face> faces) {
        if (faces.isEmpty()) return "no face found";
        Face f = faces.getFirst();
        return String.format(
                Locale.ROOT,
                "%d face%s; primary: box %d,%d %dx%d, score %.2f%s",
                faces.size(),
                faces.size() == 1 ? "" : "s",
                Math.round(f.x()),
                Math.round(f.y()),
                Math.round(f.width()),
                Math.round(f.height()),
                f.score(),
                f.landmarks() == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", eyes %.0f,%.0f and %.0f,%.0f, mouth %.0f,%.0f",
                                f.landmarkMean(36, 42)[0],
                                f.landmarkMean(36, 42)[1],
                                f.landmarkMean(42, 48)[0],
                                f.landmarkMean(42, 48)[1],
                                f.landmarkMean(48, 60)[0],
                                f.landmarkMean(48, 60)[1]));
    }

    /** Every face on its own line with all 68 landmarks, for {@code info --landmarks}. */
    public static String details(List<Face> faces) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < faces.size(); k++) {
            Face f = faces.get(k);
            sb.append(String.format(
                    Locale.ROOT,
                    "face %d: box %.1f,%.1f %.1fx%.1f score %.3f%n",
                    k + 1,
                    f.x(),
                    f.y(),
                    f.width(),
                    f.height(),
                    f.score()));
            if (f.landmarks() == null) continue;
            sb.append("  landmarks:");
            for (int i = 0; i < 68; i++) sb.append(String.format(Locale.ROOT, " %.1f,%.1f", f.lx(i), f.ly(i)));
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
