package studio.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Every conversion between picture representations the app uses: TYPE_3BYTE_BGR images (the
 * frames passed between stages), their BGR bytes, 8-bit BGR OpenCV mats (same byte layout), RGB
 * bytes, and TYPE_INT_RGB copies. Tensors are in {@code studio.nn.ImageTensors}.
 */
public final class Images {
    private Images() {}

    /** How {@link #rgb(BufferedImage, int, int, Scaling)} scales (Java2D hints; each keeps one stage's output as it was). */
    public enum Scaling {
        /** Bilinear with the quality rendering hint: the face renderer's source. */
        BILINEAR_QUALITY,
        /** Bicubic: the portrait generator's init image and mask. */
        BICUBIC
    }

    /** Whether {@code img} is TYPE_3BYTE_BGR with a raster of its own holding exactly its pixels. */
    private static boolean plainBgr(BufferedImage img) {
        return img.getType() == BufferedImage.TYPE_3BYTE_BGR
                && img.getRaster().getParent() == null
                && img.getRaster().getDataBuffer() instanceof DataBufferByte db
                && db.getData().length == img.getWidth() * img.getHeight() * 3;
    }

    /** The image itself when it is an unshared TYPE_3BYTE_BGR raster, else a BGR copy. */
    public static BufferedImage bgr(BufferedImage img) {
        if (plainBgr(img)) return img;
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    /** The top-left {@code width} × {@code height} of {@code img} as a new TYPE_3BYTE_BGR image (e.g. odd sizes cut to even). */
    public static BufferedImage bgr(BufferedImage img, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    /** The pixel bytes of a {@link #bgr} image, row-major B, G, R (its own array: writes show in the image). */
    public static byte[] bytes(BufferedImage bgr) {
        return ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    }

    /** Any image's pixels as BGR bytes, row-major (a copy). */
    public static byte[] bgrBytes(BufferedImage img) {
        if (plainBgr(img)) return bytes(img).clone();
        return bytes(bgr(img));
    }

    /** A new TYPE_3BYTE_BGR image holding a copy of {@code bgr} (row-major B, G, R). */
    public static BufferedImage fromBgr(byte[] bgr, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        System.arraycopy(bgr, 0, bytes(img), 0, bgr.length);
        return img;
    }

    /**
     * Any image's pixels as RGB bytes, row-major: byte-swapped from a plain BGR raster, else through
     * {@link BufferedImage#getRGB} (sRGB, alpha dropped).
     */
    public static byte[] rgbBytes(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        if (plainBgr(img)) {
            byte[] bgr = bytes(img);
            for (int i = 0; i < out.length; i += 3) {
                out[i] = bgr[i + 2];
                out[i + 1] = bgr[i + 1];
                out[i + 2] = bgr[i];
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0, o = y * w * 3; x < w; x++, o += 3) {
                    out[o] = (byte) (row[x] >> 16);
                    out[o + 1] = (byte) (row[x] >> 8);
                    out[o + 2] = (byte) row[x];
                }
            }
        }
        return out;
    }

    /** The image itself when it is TYPE_INT_RGB of that size, else a TYPE_INT_RGB copy scaled to {@code width} × {@code height}. */
    public static BufferedImage rgb(BufferedImage img, int width, int height, Scaling scaling) {
        if (img.getWidth() == width && img.getHeight() == height && img.getType() == BufferedImage.TYPE_INT_RGB)
            return img;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        switch (scaling) {
            case BILINEAR_QUALITY -> {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            }
            case BICUBIC ->
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        }
        g.drawImage(img, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** A TYPE_3BYTE_BGR copy of an 8-bit BGR mat. */
    public static BufferedImage toImage(Mat bgr) {
        if (bgr.type() != CV_8UC3)
            throw new IllegalArgumentException("expected an 8-bit BGR mat, got type " + bgr.type());
        Mat m = bgr.isContinuous() ? bgr : bgr.clone();
        BufferedImage img = new BufferedImage(m.cols(), m.rows(), BufferedImage.TYPE_3BYTE_BGR);
        m.data().get(bytes(img));
        if (m != bgr) m.close();
        return img;
    }

    /** A new 8-bit BGR mat holding a copy of the pixels (converted to BGR first when needed). */
    public static Mat toMat(BufferedImage img) {
        return toMat(bytes(bgr(img)), img.getWidth(), img.getHeight());
    }

    /** A new 8-bit BGR mat holding a copy of {@code bgr} (row-major B, G, R). */
    public static Mat toMat(byte[] bgr, int width, int height) {
        Mat m = new Mat(height, width, CV_8UC3);
        m.data().put(bgr);
        return m;
    }
}
