package studio.face;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_photo.NORMAL_CLONE;
import static org.bytedeco.opencv.global.opencv_photo.seamlessClone;

import java.awt.image.BufferedImage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import studio.image.Images;

/**
 * Pastes animated crops back into the original picture ({@code full} / {@code extfull} modes, as
 * SadTalker's {@code paste_pic.py}): each crop is resized to its region and blended in. Create one
 * per video; what does not change between frames is prepared once (the original as a mat, the
 * mask, the clone centre, reusable buffers).
 *
 * <ul>
 * <li>{@link Blend#SEAMLESS_CLONE}: OpenCV's Poisson {@code seamlessClone(NORMAL_CLONE)} with a
 * full mask, exactly SadTalker's choice (no seam; the crop's colours are pulled to match the
 * border, at the cost of a Poisson solve per frame).</li>
 * <li>{@link Blend#FEATHER}: alpha blending with a mask that fades to zero over the outer 8% of
 * the region (a cached float mask; much faster, no colour shift).</li>
 * </ul>
 * Not thread-safe (buffers are reused); use one instance per video.
 */
public final class PasteBack implements AutoCloseable {
    public enum Blend {
        SEAMLESS_CLONE,
        FEATHER
    }

    private final CropGeometry g;
    private final Blend blend;
    private final Mat original;
    private final Mat resized = new Mat();
    private final Mat output;
    private final Size regionSize;
    private final Mat mask; // full 8-bit mask for seamlessClone, else null
    private final float[] weights; // feather weights over the region, else null
    private final Point centre;
    private final Rect region;
    private final BufferedImage originalImage;

    private PasteBack(BufferedImage originalImage, CropGeometry g, Blend blend) {
        if (originalImage.getWidth() != g.imageWidth() || originalImage.getHeight() != g.imageHeight())
            throw new IllegalArgumentException(
                    "the picture is " + originalImage.getWidth() + "x" + originalImage.getHeight()
                            + " but the crop geometry is for " + g.imageWidth() + "x" + g.imageHeight());
        this.g = g;
        this.blend = blend;
        this.originalImage = Images.bgr(originalImage);
        this.original = Images.toMat(this.originalImage);
        this.output = new Mat(g.imageHeight(), g.imageWidth(), CV_8UC3);
        this.regionSize = new Size(g.regionWidth(), g.regionHeight());
        this.region = new Rect(g.regionX(), g.regionY(), g.regionWidth(), g.regionHeight());
        // SadTalker: location = ((ox1 + ox2) // 2, (oy1 + oy2) // 2); seamlessClone drops the mask's
        // outer pixel ring, which keeps the clone inside the picture even for a region on its border
        this.centre = new Point(
                Math.floorDiv(2 * g.regionX() + g.regionWidth(), 2),
                Math.floorDiv(2 * g.regionY() + g.regionHeight(), 2));
        this.mask = blend == Blend.SEAMLESS_CLONE
                ? new Mat(g.regionHeight(), g.regionWidth(), CV_8UC3, new Scalar(255, 255, 255, 0))
                : null;
        this.weights = blend == Blend.FEATHER ? featherWeights(g.regionWidth(), g.regionHeight()) : null;
    }

    public static PasteBack create(BufferedImage original, CropGeometry geometry) {
        return create(original, geometry, Blend.SEAMLESS_CLONE);
    }

    public static PasteBack create(BufferedImage original, CropGeometry geometry, Blend blend) {
        if (blend == Blend.SEAMLESS_CLONE && (geometry.regionWidth() < 3 || geometry.regionHeight() < 3))
            blend = Blend.FEATHER; // seamlessClone needs an inner pixel
        return new PasteBack(original, geometry, blend);
    }

    public CropGeometry geometry() {
        return g;
    }

    /** A new full-size frame (TYPE_3BYTE_BGR) with the animated crop (size×size) blended in. */
    public BufferedImage paste(BufferedImage animatedCrop) {
        try (Mat crop = Images.toMat(animatedCrop)) {
            resize(crop, resized, regionSize, 0, 0, INTER_LINEAR);
        }
        if (blend == Blend.SEAMLESS_CLONE) {
            seamlessClone(resized, original, mask, centre, output, NORMAL_CLONE);
            return Images.toImage(output);
        }
        return feather();
    }

    /** Alpha blend in Java over the region only; the rest of the frame is a plain copy. */
    private BufferedImage feather() {
        BufferedImage out = new BufferedImage(g.imageWidth(), g.imageHeight(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = Images.bytes(out);
        System.arraycopy(Images.bytes(originalImage), 0, dst, 0, dst.length);
        int w = g.regionWidth(), h = g.regionHeight();
        byte[] src = new byte[w * h * 3];
        resized.data().get(src);
        for (int y = 0; y < h; y++) {
            int row = ((g.regionY() + y) * g.imageWidth() + g.regionX()) * 3;
            for (int x = 0; x < w; x++) {
                float a = weights[y * w + x];
                int d = row + x * 3, s = (y * w + x) * 3;
                for (int c = 0; c < 3; c++) {
                    float v = (src[s + c] & 0xff) * a + (dst[d + c] & 0xff) * (1 - a);
                    dst[d + c] = (byte) Math.round(v);
                }
            }
        }
        return out;
    }

    private static float[] featherWeights(int w, int h) {
        float[] v = new float[w * h];
        double band = Math.max(2, 0.08 * Math.min(w, h));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.min(Math.min(x + 0.5, w - x - 0.5), Math.min(y + 0.5, h - y - 0.5));
                double t = Math.min(1, d / band);
                v[y * w + x] = (float) (t * t * (3 - 2 * t)); // smoothstep: no visible edge in the ramp
            }
        }
        return v;
    }

    @Override
    public void close() {
        original.close();
        resized.close();
        output.close();
        if (mask != null) mask.close();
        regionSize.close();
        centre.close();
        region.close();
    }
}
