package studio.face;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.opencv.opencv_core.Mat;

/** Copies between 8-bit BGR OpenCV mats and TYPE_3BYTE_BGR images (same byte layout). */
final class Mats {
    private Mats() {}

    static BufferedImage toImage(Mat bgr) {
        if (bgr.type() != CV_8UC3) throw new IllegalArgumentException("expected an 8-bit BGR mat, got type " + bgr.type());
        Mat m = bgr.isContinuous() ? bgr : bgr.clone();
        BufferedImage img = new BufferedImage(m.cols(), m.rows(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        m.data().get(dst);
        if (m != bgr) m.close();
        return img;
    }

    /** A new mat holding a copy of the pixels (converted to BGR first when needed). */
    static Mat toMat(BufferedImage img) {
        BufferedImage bgr = bgr(img);
        Mat m = new Mat(bgr.getHeight(), bgr.getWidth(), CV_8UC3);
        byte[] src = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        m.data().put(src);
        return m;
    }

    /** The image itself when it is an unshared TYPE_3BYTE_BGR raster, else a BGR copy. */
    static BufferedImage bgr(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && img.getRaster().getParent() == null
                && ((DataBufferByte) img.getRaster().getDataBuffer()).getData().length == img.getWidth() * img.getHeight() * 3)
            return img;
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        var g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    static byte[] bytes(BufferedImage bgr) {
        return ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    }

}
