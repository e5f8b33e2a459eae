package studio.face;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The pixel size a picture file declares, read from its header before anything is decoded, so a
 * small file that claims 30000 × 30000 pixels (a "decompression bomb") is refused instead of
 * allocating gigabytes. ImageIO's readers cover PNG, JPEG, BMP, GIF and TIFF; WebP and PNM headers
 * are read here because ImageIO has no reader for them. Other formats OpenCV reads are left to
 * OpenCV's own limit (2^30 pixels).
 */
final class ImageHeader {
    private ImageHeader() {}

    /** Width × height as declared, or -1 when the header is not one of the formats above. */
    static long pixels(byte[] b) {
        long webp = webp(b);
        if (webp >= 0) return webp;
        long pnm = pnm(b);
        if (pnm >= 0) return pnm;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(b))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return -1;
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                return (long) r.getWidth(0) * r.getHeight(0);
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return -1; // an unreadable header: the decoder says "not an image"
        }
    }

    /** RIFF/WEBP: lossy (VP8), lossless (VP8L) or extended (VP8X) bitstream headers. */
    private static long webp(byte[] b) {
        if (b.length < 30 || !ascii(b, 0, "RIFF") || !ascii(b, 8, "WEBP")) return -1;
        if (ascii(b, 12, "VP8X")) return (u24(b, 24) + 1L) * (u24(b, 27) + 1L);
        if (ascii(b, 12, "VP8L")) {
            long bits = (b[21] & 0xff) | (b[22] & 0xff) << 8 | (b[23] & 0xff) << 16 | (long) (b[24] & 0xff) << 24;
            return ((bits & 0x3fff) + 1) * (((bits >> 14) & 0x3fff) + 1);
        }
        if (ascii(b, 12, "VP8 ")) return (long) (u16(b, 26) & 0x3fff) * (u16(b, 28) & 0x3fff);
        return -1;
    }

    /** Netpbm (P1–P6): "P6 <width> <height> ..." in ASCII, comments allowed. */
    private static long pnm(byte[] b) {
        if (b.length < 3 || b[0] != 'P' || b[1] < '1' || b[1] > '6') return -1;
        long[] wh = new long[2];
        int p = 2;
        for (int k = 0; k < 2; k++) {
            while (p < b.length && (Character.isWhitespace(b[p]) || b[p] == '#')) {
                if (b[p] == '#') while (p < b.length && b[p] != '\n') p++;
                else p++;
            }
            int digits = 0;
            while (p < b.length && b[p] >= '0' && b[p] <= '9' && digits < 10) {
                wh[k] = wh[k] * 10 + (b[p++] - '0');
                digits++;
            }
            if (digits == 0) return -1;
        }
        return wh[0] * wh[1];
    }

    private static boolean ascii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) if (b[at + i] != s.charAt(i)) return false;
        return true;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int u24(byte[] b, int at) {
        return u16(b, at) | (b[at + 2] & 0xff) << 16;
    }
}
