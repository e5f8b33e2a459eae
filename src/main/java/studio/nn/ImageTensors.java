package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Pictures ⇄ the networks' tensors: RGB planes, channels first (CHW), in [0, 1] or [-1, 1]. The
 * way back to bytes is a parameter, as the references differ: {@link Rounding#ROUND} (skimage's
 * {@code img_as_ubyte}, basicsr's {@code tensor2img}: round, clamp) for the face renderer and the
 * face restorer, {@link Rounding#TRUNCATE} (A1111: clamp, × 255, truncate) for the portrait
 * generator. Each stage keeps the convention its golden test expects.
 */
public final class ImageTensors {
    private ImageTensors() {}

    /** The value range of a tensor's pixels. */
    public enum Range {
        /** [0, 1]: byte / 255. */
        UNIT,
        /** [-1, 1]: byte / 127.5 − 1. */
        SIGNED
    }

    /** How a float becomes a byte. */
    public enum Rounding {
        /** round(v·255) for UNIT, round((v + 1)·127.5) for SIGNED (float arithmetic), clamped to 0..255. */
        ROUND,
        /** (int) (255 · clamp(v)) for UNIT, (int) (255 · clamp((v + 1) / 2)) for SIGNED (double arithmetic). */
        TRUNCATE
    }

    /** One byte (0..255) as a tensor value. */
    public static float toFloat(int b, Range range) {
        return range == Range.UNIT ? b / 255f : b / 127.5f - 1f;
    }

    /** One tensor value as a byte value (0..255). */
    public static int toByte(float v, Range range, Rounding rounding) {
        if (rounding == Rounding.ROUND) {
            float s = range == Range.UNIT ? v * 255f : (v + 1f) * 127.5f;
            return Math.max(0, Math.min(255, Math.round(s)));
        }
        double u = Math.clamp(range == Range.UNIT ? v : (v + 1) / 2.0, 0.0, 1.0);
        return (int) (255 * u);
    }

    /** The image's RGB (through {@link BufferedImage#getRGB}) as CHW floats, 3 × height × width. */
    public static float[] chw(BufferedImage img, Range range) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        float[] out = new float[3 * plane];
        int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            out[i] = toFloat((p >> 16) & 0xff, range);
            out[plane + i] = toFloat((p >> 8) & 0xff, range);
            out[2 * plane + i] = toFloat(p & 0xff, range);
        }
        return out;
    }

    /** {@link #chw(BufferedImage, Range)} as a (1, 3, height, width) array in {@code manager}. */
    public static NDArray chw(NDManager manager, BufferedImage img, Range range) {
        return manager.create(chw(img, range), new Shape(1, 3, img.getHeight(), img.getWidth()));
    }

    /** BGR bytes (row-major, 3 a pixel) → RGB planes written into {@code out} from {@code offset}. */
    public static void chwFromBgr(byte[] bgr, Range range, float[] out, int offset) {
        int plane = bgr.length / 3;
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < 3; c++) out[offset + c * plane + p] = toFloat(bgr[3 * p + 2 - c] & 0xff, range);
    }

    /** RGB planes of {@code pixels} pixels from {@code offset} → BGR bytes (row-major, 3 a pixel). */
    public static byte[] bgrFromChw(float[] chw, int offset, int pixels, Range range, Rounding rounding) {
        byte[] out = new byte[3 * pixels];
        for (int p = 0; p < pixels; p++)
            for (int c = 0; c < 3; c++)
                out[3 * p + 2 - c] = (byte) toByte(chw[offset + c * pixels + p], range, rounding);
        return out;
    }

    /** RGB planes from {@code offset} → a TYPE_3BYTE_BGR image. */
    public static BufferedImage bgrImage(
            float[] chw, int offset, int width, int height, Range range, Rounding rounding) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = bgrFromChw(chw, offset, width * height, range, rounding);
        System.arraycopy(bgr, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, bgr.length);
        return img;
    }

    /** RGB planes (from 0) → a TYPE_INT_RGB image. */
    public static BufferedImage rgbImage(float[] chw, int width, int height, Range range, Rounding rounding) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                int i = y * width + x, rgb = 0;
                for (int c = 0; c < 3; c++) rgb = (rgb << 8) | toByte(chw[c * plane + i], range, rounding);
                img.setRGB(x, y, rgb);
            }
        return img;
    }
}
