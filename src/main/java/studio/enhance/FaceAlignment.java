package studio.enhance;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_calib3d;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import studio.face.Face;
import studio.job.InputException;

/**
 * The similarity transform from a frame to GFPGAN's 512×512 FFHQ face template, from five
 * landmarks (eye centres, nose tip, mouth corners), fitted as facexlib's FaceRestoreHelper does
 * (OpenCV estimateAffinePartial2D with LMEDS).
 *
 * @param toFace  2×3 row-major matrix, frame → aligned face
 * @param toFrame 2×3 row-major matrix, aligned face → frame
 */
public record FaceAlignment(double[] toFace, double[] toFrame) {
    /** facexlib's five-point template for a 512×512 face (left eye, right eye, nose, mouth left, mouth right). */
    static final double[][] FFHQ_TEMPLATE_512 = {
        {192.98138, 239.94708},
        {318.90277, 240.1936},
        {256.63416, 314.01935},
        {201.26117, 371.41043},
        {313.08905, 371.15118}
    };

    /** Five points from the 68 (iBUG order): eye centres (mean of 36–41, 42–47), nose tip 30, mouth corners 48, 54. */
    public static double[][] fivePoints(Face face) {
        if (face == null || face.landmarks() == null || face.landmarks().length < 136)
            throw new InputException("face restoration needs the 68 landmarks of the face, none were given");
        return new double[][] {
            mean(face, 36, 41),
            mean(face, 42, 47),
            {face.lx(30), face.ly(30)},
            {face.lx(48), face.ly(48)},
            {face.lx(54), face.ly(54)}
        };
    }

    private static double[] mean(Face f, int from, int to) {
        double x = 0, y = 0;
        for (int i = from; i <= to; i++) {
            x += f.lx(i);
            y += f.ly(i);
        }
        int n = to - from + 1;
        return new double[] {x / n, y / n};
    }

    /** The alignment of a face to the template of side {@code size} (512 for GFPGAN). */
    public static FaceAlignment of(Face face, int size) {
        double[][] src = fivePoints(face);
        double[][] dst = new double[5][];
        for (int i = 0; i < 5; i++)
            dst[i] = new double[] {FFHQ_TEMPLATE_512[i][0] * size / 512, FFHQ_TEMPLATE_512[i][1] * size / 512};
        double eyes = Math.hypot(src[1][0] - src[0][0], src[1][1] - src[0][1]);
        if (!(eyes >= 5)) // GFPGANer skips faces whose eyes are closer than 5 pixels
        throw new InputException(
                    "the face is too small to restore (eyes " + String.format("%.1f", eyes) + " px apart)");
        double[] m = estimate(src, dst);
        return new FaceAlignment(m, invert(m));
    }

    static double[] estimate(double[][] src, double[][] dst) {
        try (Mat from = points(src);
                Mat to = points(dst);
                Mat inliers = new Mat();
                Mat m = opencv_calib3d.estimateAffinePartial2D(
                        from, to, inliers, opencv_calib3d.LMEDS, 3, 2000, 0.99, 10)) {
            if (m.empty())
                throw new InputException("the face landmarks are degenerate: no alignment to the face template");
            double[] out = new double[6];
            try (Mat d = new Mat()) {
                m.convertTo(d, CV_64F);
                new DoublePointer(d.data()).get(out);
            }
            return out;
        }
    }

    private static Mat points(double[][] p) {
        Mat m = new Mat(p.length, 1, CV_32FC2);
        float[] f = new float[p.length * 2];
        for (int i = 0; i < p.length; i++) {
            f[2 * i] = (float) p[i][0];
            f[2 * i + 1] = (float) p[i][1];
        }
        new FloatPointer(m.data()).put(f);
        return m;
    }

    static double[] invert(double[] m) {
        try (Mat a = matrix(m);
                Mat inv = new Mat()) {
            opencv_imgproc.invertAffineTransform(a, inv);
            double[] out = new double[6];
            new DoublePointer(inv.data()).get(out);
            return out;
        }
    }

    /** A 2×3 CV_64F matrix for OpenCV's warps. */
    static Mat matrix(double[] m) {
        Mat a = new Mat(2, 3, CV_64F);
        new DoublePointer(a.data()).put(m);
        return a;
    }

    @Override
    public String toString() {
        return "FaceAlignment" + Arrays.toString(toFace);
    }
}
