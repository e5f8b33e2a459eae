package studio.render.builtin;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import studio.render.RenderInput;

/**
 * The picture the animator works on (with the face's landmarks in its coordinates) and how an
 * animated picture becomes an output frame.
 *
 * <p>INTERIM until the face stage's {@code FaceCrop}/{@code PasteBack} are merged: crop, extcrop
 * and resize all animate the whole portrait scaled to the render size; full and extfull animate
 * the portrait at its own resolution.
 */
interface Framing {
    BufferedImage picture();

    double[] landmarks();

    BufferedImage compose(BufferedImage animated);

    static Framing of(RenderInput input) {
        BufferedImage portrait = bgr(input.portrait());
        double[] lm = input.face().landmarks();
        if (input.options().preprocess().pastesBack()) return new Simple(portrait, lm.clone());
        int size = input.options().size();
        double sx = size / (double) portrait.getWidth(), sy = size / (double) portrait.getHeight();
        double[] scaled = new double[lm.length];
        for (int i = 0; i < lm.length; i += 2) {
            scaled[i] = (lm[i] + 0.5) * sx - 0.5;
            scaled[i + 1] = (lm[i + 1] + 0.5) * sy - 0.5;
        }
        return new Simple(resize(portrait, size, size), scaled);
    }

    record Simple(BufferedImage picture, double[] landmarks) implements Framing {
        @Override
        public BufferedImage compose(BufferedImage animated) {
            return animated;
        }
    }

    static BufferedImage bgr(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR) return img;
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        out.createGraphics().drawImage(img, 0, 0, null);
        return out;
    }

    /** OpenCV resize: area averaging when shrinking, bicubic when enlarging. */
    static BufferedImage resize(BufferedImage src, int w, int h) {
        if (src.getWidth() == w && src.getHeight() == h) return src;
        byte[] in = ((DataBufferByte) src.getRaster().getDataBuffer()).getData();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        try (Mat a = new Mat(src.getHeight(), src.getWidth(), opencv_core.CV_8UC3); Mat b = new Mat(); Size size = new Size(w, h)) {
            a.data().put(in, 0, in.length);
            boolean shrink = w < src.getWidth() || h < src.getHeight();
            opencv_imgproc.resize(a, b, size, 0, 0, shrink ? INTER_AREA : INTER_CUBIC);
            b.data().get(((DataBufferByte) out.getRaster().getDataBuffer()).getData());
        }
        return out;
    }
}
