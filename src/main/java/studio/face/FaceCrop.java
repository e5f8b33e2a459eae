package studio.face;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.awt.image.BufferedImage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;
import studio.image.Images;

/**
 * SadTalker's preprocessing ({@code src/utils/croper.py} {@code align_face} and {@code crop},
 * {@code src/utils/preprocess.py} {@code generate}) from 68 landmarks:
 * <ul>
 * <li>the FFHQ-style oriented quad from the eyes and mouth corners, its bounding box grown by a
 * 10% border and clipped to the picture (the "outer" box), and the quad's own box inside it;</li>
 * <li>{@code crop} / {@code full}: the quad box; {@code extcrop} / {@code extfull}: the outer box;
 * {@code resize}: the whole picture; each resized to a size×size square as SadTalker does
 * (non-square regions are stretched).</li>
 * </ul>
 * Differences from SadTalker, on purpose: the quad box is clipped to the outer box on all sides
 * (SadTalker clips its bottom against the picture width and lets numpy clip the slice, so its
 * paste-back rectangle can disagree with the pixels it cropped); when SadTalker would shrink a huge
 * picture first, the geometry is computed the same way but returned in original pixels, and the
 * crop is cut from the original (area interpolation when downscaling, bilinear otherwise).
 */
public final class FaceCrop {
    private FaceCrop() {}

    /** The crop image (TYPE_3BYTE_BGR, size×size) and where it comes from. */
    public record CropResult(BufferedImage image, CropGeometry geometry) {}

    public static CropResult crop(BufferedImage img, Face face, Preprocess mode, int size) {
        CropGeometry g = geometry(img.getWidth(), img.getHeight(), face, mode, size);
        return new CropResult(cut(img, g.regionX(), g.regionY(), g.regionWidth(), g.regionHeight(), size), g);
    }

    /** SadTalker's crop geometry for a picture of {@code width}×{@code height}. */
    public static CropGeometry geometry(int width, int height, Face face, Preprocess mode, int size) {
        if (size != 256 && size != 512) throw new IllegalArgumentException("crop size must be 256 or 512, got " + size);
        if (mode == Preprocess.RESIZE)
            return new CropGeometry(mode, size, width, height, 0, 0, width, height, 0, 0, width, height);
        if (face.landmarks() == null || face.landmarks().length < 136)
            throw new IllegalArgumentException("the face has no 68 landmarks");

        double[] eyeLeft = face.landmarkMean(36, 42), eyeRight = face.landmarkMean(42, 48);
        double eyeAvgX = (eyeLeft[0] + eyeRight[0]) * 0.5, eyeAvgY = (eyeLeft[1] + eyeRight[1]) * 0.5;
        double eyeToEyeX = eyeRight[0] - eyeLeft[0], eyeToEyeY = eyeRight[1] - eyeLeft[1];
        double mouthAvgX = (face.lx(48) + face.lx(54)) * 0.5, mouthAvgY = (face.ly(48) + face.ly(54)) * 0.5;
        double eyeToMouthX = mouthAvgX - eyeAvgX, eyeToMouthY = mouthAvgY - eyeAvgY;

        // x = eye_to_eye - flipud(eye_to_mouth) * [-1, 1], normalised and scaled
        double xx = eyeToEyeX + eyeToMouthY, xy = eyeToEyeY - eyeToMouthX;
        double len = Math.hypot(xx, xy);
        double scale = Math.max(Math.hypot(eyeToEyeX, eyeToEyeY) * 2.0, Math.hypot(eyeToMouthX, eyeToMouthY) * 1.8);
        xx = xx / len * scale;
        xy = xy / len * scale;
        double yx = -xy, yy = xx; // y = flipud(x) * [-1, 1]
        double cx = eyeAvgX + eyeToMouthX * 0.1, cy = eyeAvgY + eyeToMouthY * 0.1;
        double[][] quad = {
            {cx - xx - yx, cy - xy - yy}, {cx - xx + yx, cy - xy + yy},
            {cx + xx + yx, cy + xy + yy}, {cx + xx - yx, cy + xy - yy}
        };
        double qsize = Math.hypot(xx, xy) * 2;

        // Shrink (SadTalker resizes huge pictures first; only the integer geometry is reproduced here)
        int shrink = (int) Math.floor(qsize / 512 * 0.5);
        int rw = width, rh = height;
        if (shrink > 1) {
            rw = (int) Math.rint((double) width / shrink);
            rh = (int) Math.rint((double) height / shrink);
            for (double[] q : quad) {
                q[0] /= shrink;
                q[1] /= shrink;
            }
            qsize /= shrink;
        } else {
            shrink = 1;
        }

        int border = Math.max((int) Math.rint(qsize * 0.1), 3);
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (double[] q : quad) {
            minX = Math.min(minX, q[0]);
            minY = Math.min(minY, q[1]);
            maxX = Math.max(maxX, q[0]);
            maxY = Math.max(maxY, q[1]);
        }
        int clx = Math.max((int) Math.floor(minX) - border, 0), cly = Math.max((int) Math.floor(minY) - border, 0);
        int crx = Math.min((int) Math.ceil(maxX) + border, rw), cry = Math.min((int) Math.ceil(maxY) + border, rh);
        if (crx <= clx || cry <= cly) throw new IllegalArgumentException("the face lies outside the picture");
        // quad relative to the outer box, +0.5, then the axis-aligned box SadTalker slices
        double lx = Math.max(Math.min(quad[0][0], quad[1][0]) - clx + 0.5, 0);
        double ly = Math.max(Math.min(quad[0][1], quad[3][1]) - cly + 0.5, 0);
        double rx = Math.min(Math.max(quad[2][0], quad[3][0]) - clx + 0.5, crx - clx);
        double ry = Math.min(Math.max(quad[1][1], quad[2][1]) - cly + 0.5, cry - cly);
        int ilx = (int) lx, ily = (int) ly, irx = (int) rx, iry = (int) ry;
        if (irx <= ilx || iry <= ily) throw new IllegalArgumentException("the face crop is empty");

        int ox = clx * shrink, oy = cly * shrink;
        int ow = Math.min(crx * shrink, width) - ox, oh = Math.min(cry * shrink, height) - oy;
        int fx = (clx + ilx) * shrink, fy = (cly + ily) * shrink;
        int fw = Math.min((clx + irx) * shrink, width) - fx, fh = Math.min((cly + iry) * shrink, height) - fy;
        boolean extended = mode == Preprocess.EXTCROP || mode == Preprocess.EXTFULL;
        return extended
                ? new CropGeometry(mode, size, width, height, ox, oy, ow, oh, ox, oy, ow, oh)
                : new CropGeometry(mode, size, width, height, ox, oy, ow, oh, fx, fy, fw, fh);
    }

    /** The rectangle resized to size×size (cv2.resize: bilinear up, area down). */
    static BufferedImage cut(BufferedImage img, int x, int y, int w, int h, int size) {
        try (Mat full = Images.toMat(img);
                Rect r = new Rect(x, y, w, h);
                Mat region = new Mat(full, r);
                Mat out = new Mat();
                Size s = new Size(size, size)) {
            resize(region, out, s, 0, 0, w > size && h > size ? INTER_AREA : INTER_LINEAR);
            return Images.toImage(out);
        }
    }
}
