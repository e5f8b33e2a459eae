package studio.motion;

import java.awt.image.BufferedImage;
import studio.face.Face;
import studio.job.InputException;

/**
 * SadTalker's alignment of a face to the 224 x 224 input of {@link NetRecon}
 * (face3d/util/preprocess.py align_img): five points from the 68 landmarks (eye centres, nose
 * tip, mouth corners), a least-squares fit of scale and translation against the standard 3D
 * points, then the image is resized by that scale (Pillow bicubic) and cropped around the face.
 */
public final class Face3dAlignment {
    public static final int SIZE = 224;
    private static final double RESCALE = 102.0;

    /** The standard five points (similarity_Lm3D_all.mat of SadTalker, reduced as load_lm3d does). */
    private static final double[][] LM3D = {
        {-0.3114865720272064, 0.29036077857017517, 0.13377952575683594},
        {0.30979886651039124, 0.289720356464386, 0.1317952573299408},
        {0.003253498813137412, -0.04617932438850403, 0.5524424314498901},
        {-0.25216928124427795, -0.3813391625881195, 0.22405731678009033},
        {0.24846619367599487, -0.38128235936164856, 0.22235769033432007},
    };

    /**
     * @param image  3 x 224 x 224 RGB in [0, 1] (channel-major), as net_recon takes it
     * @param params SadTalker's trans_params: original width, height, scale, tx, ty
     */
    public record Aligned(float[] image, double[] params) {}

    private Face3dAlignment() {}

    public static Aligned align(BufferedImage image, Face face) {
        if (face.landmarks() == null || face.landmarks().length != 136)
            throw new InputException("the face has no 68 landmarks to align it for 3D reconstruction");
        int w0 = image.getWidth(), h0 = image.getHeight();
        // SadTalker works with y pointing up: y' = H - 1 - y.
        double[][] five = fivePoints(face.landmarks(), h0);
        double[] ts = fitTranslationScale(five);
        double s = RESCALE / ts[2], tx = ts[0], ty = ts[1];
        int w = (int) (w0 * s), h = (int) (h0 * s);
        int left = (int) (w / 2.0 - SIZE / 2.0 + (tx - w0 / 2.0) * s);
        int up = (int) (h / 2.0 - SIZE / 2.0 + (h0 / 2.0 - ty) * s);
        float[] out = new float[3 * SIZE * SIZE];
        int[] rgb = image.getRGB(0, 0, w0, h0, null, 0, w0);
        for (int c = 0; c < 3; c++) {
            int[] plane = new int[w0 * h0];
            int shift = 16 - 8 * c;
            for (int i = 0; i < plane.length; i++) plane[i] = (rgb[i] >> shift) & 0xff;
            int[] resized = PillowResize.bicubic(plane, w0, h0, w, h);
            for (int y = 0; y < SIZE; y++) {
                int sy = up + y;
                if (sy < 0 || sy >= h) continue; // outside the image: black, as Pillow's crop
                for (int x = 0; x < SIZE; x++) {
                    int sx = left + x;
                    if (sx >= 0 && sx < w) out[(c * SIZE + y) * SIZE + x] = resized[sy * w + sx] / 255f;
                }
            }
        }
        return new Aligned(out, new double[] {w0, h0, s, tx, ty});
    }

    /** extract_5p on y-flipped landmarks: left eye centre, right eye centre, nose tip, mouth corners. */
    static double[][] fivePoints(double[] lm, int height) {
        double[][] p = new double[68][];
        for (int i = 0; i < 68; i++) p[i] = new double[] {lm[2 * i], height - 1 - lm[2 * i + 1]};
        return new double[][] {mean(p[36], p[39]), mean(p[42], p[45]), p[30], p[48], p[54]};
    }

    private static double[] mean(double[] a, double[] b) {
        // float32 like numpy's mean over the float32 landmarks
        return new double[] {(float) ((a[0] + b[0]) / 2), (float) ((a[1] + b[1]) / 2)};
    }

    /**
     * SadTalker's POS: least squares x = R1·X + sTx, y = R2·X + sTy over the five points (the two
     * rows share one design matrix); scale = mean of |R1| and |R2|. Returns {tx, ty, scale}.
     */
    static double[] fitTranslationScale(double[][] five) {
        double[][] ata = new double[4][4];
        double[] atx = new double[4], aty = new double[4];
        for (int i = 0; i < 5; i++) {
            double[] row = {LM3D[i][0], LM3D[i][1], LM3D[i][2], 1};
            for (int a = 0; a < 4; a++) {
                for (int b = 0; b < 4; b++) ata[a][b] += row[a] * row[b];
                atx[a] += row[a] * five[i][0];
                aty[a] += row[a] * five[i][1];
            }
        }
        double[] kx = solve(ata, atx), ky = solve(ata, aty);
        double s = (Math.hypot(Math.hypot(kx[0], kx[1]), kx[2]) + Math.hypot(Math.hypot(ky[0], ky[1]), ky[2])) / 2;
        return new double[] {kx[3], ky[3], s};
    }

    private static double[] solve(double[][] m, double[] rhs) {
        int n = rhs.length;
        double[][] a = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, a[i], 0, n);
            a[i][n] = rhs[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            for (int r = 0; r < n; r++) {
                if (r == c) continue;
                double f = a[r][c] / a[c][c];
                for (int j = c; j <= n; j++) a[r][j] -= f * a[c][j];
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = a[i][n] / a[i][i];
        return x;
    }
}
