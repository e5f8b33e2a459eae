package studio.render.builtin;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import studio.face.Face;
import studio.face.FaceStage;
import studio.face.Portrait;
import studio.face.Preprocess;
import studio.motion.LandmarkMotion;
import studio.render.Framing;
import studio.render.RenderInput;

/**
 * Writes the frame strips of docs/builtin-engine.md: for each portrait, the 256 crop at rest, with
 * the mouth open (wide "a", rounded "o", spread "i"), mid-blink and closed, and the head turned,
 * each with the mouth and an eye zoomed 3x. Run: {@code java -cp ... studio.render.builtin.FrameStrips OUT_DIR PREFIX PORTRAIT...}.
 */
public final class FrameStrips {
    private static final int ZOOM = 3;

    private FrameStrips() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        String prefix = args[1];
        Preprocess mode = Preprocess.valueOf(System.getProperty("mode", "CROP"));
        Files.createDirectories(out);
        try (FaceStage faces = FaceStage.open(Path.of("checkpoints"))) {
            for (int a = 2; a < args.length; a++) {
                Path image = Path.of(args[a]);
                BufferedImage portrait = Portrait.load(image);
                Face face = faces.primaryFace(portrait, image);
                String name = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                ImageIO.write(
                        strip(portrait, face, image, mode),
                        "png",
                        out.resolve(prefix + "-" + name + ".png").toFile());
            }
        }
    }

    static final String[] LABELS = {
        "rest", "open a", "round o", "spread i", "blink 0.5", "blink 1", "yaw 12", "pitch -8"
    };

    static LandmarkMotion[] poses() {
        return new LandmarkMotion[] {
            LandmarkMotion.REST,
            new LandmarkMotion(0.30, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            new LandmarkMotion(0.14, -0.2, 1, 0, 0, 0, 0, 0, 0, 0),
            new LandmarkMotion(0.10, 0.10, 0, 0, 0, 0, 0, 0, 0, 0),
            new LandmarkMotion(0, 0, 0, 0.5, 0, 0, 0, 0, 0, 0),
            new LandmarkMotion(0, 0, 0, 1, 0, 0, 0, 0, 0, 0),
            new LandmarkMotion(0.12, 0, 0, 0, 0, 12, 0, 0, 0, 0),
            new LandmarkMotion(0, 0, 0, 0, 0, 0, -8, 0, 0, 0),
        };
    }

    static BufferedImage strip(BufferedImage portrait, Face face, Path image, Preprocess mode) {
        LandmarkMotion[] poses = poses();
        try (Framing framing = Framing.of(new RenderInput(image, portrait, face, null), mode, 256);
                FaceAnimator animator = new FaceAnimator(framing.picture(), framing.landmarks())) {
            int s = 256, zw = s / 2;
            BufferedImage strip = new BufferedImage(poses.length * s, s + 2 * zw + 20, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = strip.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            int cw = zw / ZOOM * 2, ch = zw / ZOOM;
            for (int k = 0; k < poses.length; k++) {
                BufferedImage f = animator.frame(poses[k]);
                double[] p = animator.rig().targetPoints(poses[k]);
                int mx = (int) ((p[2 * 48] + p[2 * 54]) / 2), my = (int) ((p[2 * 51 + 1] + p[2 * 57 + 1]) / 2);
                int ex = (int) ((p[2 * 36] + p[2 * 39]) / 2), ey = (int) ((p[2 * 37 + 1] + p[2 * 41 + 1]) / 2);
                int x = k * s;
                g.drawImage(f, x, 0, null);
                g.drawImage(f, x, s, x + s, s + zw, mx - cw / 2, my - ch / 2, mx + cw / 2, my + ch / 2, null);
                g.drawImage(f, x, s + zw, x + s, s + 2 * zw, ex - cw / 2, ey - ch / 2, ex + cw / 2, ey + ch / 2, null);
                g.setColor(Color.WHITE);
                g.drawString(LABELS[k], x + 6, s + 2 * zw + 15);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(x, 0, x, strip.getHeight());
            }
            g.dispose();
            return strip;
        }
    }
}
