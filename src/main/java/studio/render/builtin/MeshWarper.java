package studio.render.builtin;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Warps one picture by a triangle mesh, frame after frame: piecewise affine, done as one OpenCV
 * {@code remap} (bilinear) with a map rasterised per frame, so neighbouring triangles share
 * their edges exactly (no seams) and every pixel has a source (no holes). Inside the inner lips
 * the open mouth is painted: a dark cavity with upper and lower teeth.
 *
 * <p>The rasteriser is written by hand: OpenCV has no piecewise-affine map, and drawing every
 * triangle with its own {@code warpAffine} would blend seams at shared edges.
 */
public final class MeshWarper implements AutoCloseable {
    /** Warm off-white of teeth in shadow (B, G, R). */
    private static final double[] TEETH = {196, 212, 226};

    private final FaceMesh mesh;
    private final int width, height;
    private final double iod;
    private final float[] identityX, identityY, mapX, mapY;
    private final Mat source, mapXMat, mapYMat, target;
    private final FloatPointer mapXData, mapYData;
    private final double[] lipColor;

    public MeshWarper(BufferedImage picture, FaceRig rig, FaceMesh mesh) {
        if (picture.getType() != BufferedImage.TYPE_3BYTE_BGR)
            throw new IllegalArgumentException("needs TYPE_3BYTE_BGR");
        this.mesh = mesh;
        this.width = picture.getWidth();
        this.height = picture.getHeight();
        this.iod = rig.iod();
        byte[] bytes = ((DataBufferByte) picture.getRaster().getDataBuffer()).getData();
        source = new Mat(height, width, CV_8UC3);
        source.data().put(bytes, 0, width * height * 3);
        target = new Mat(height, width, CV_8UC3);
        mapXMat = new Mat(height, width, CV_32FC1);
        mapYMat = new Mat(height, width, CV_32FC1);
        mapXData = new FloatPointer(mapXMat.data());
        mapYData = new FloatPointer(mapYMat.data());
        identityX = new float[width * height];
        identityY = new float[width * height];
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                identityX[i] = x;
                identityY[i] = y;
            }
        }
        mapX = new float[width * height];
        mapY = new float[width * height];
        double[] src = rig.sourcePoints();
        lipColor = lipColor(bytes, src);
    }

    /**
     * The closing upper lid, painted: skin from the open lid's line (and a little above it, where
     * lashes and crease were) down to this frame's lid edge, which gets a soft lash line. Needed
     * because warping alone drags the photographed lashes down over the eye instead of covering it.
     */
    /**
     * The first {@code along.length} landmarks {@code idx} of {@code pts} in the frame at (ax, ay)
     * whose unit x axis is (dx, dy): distance along the axis and across it.
     */
    private static void project(
            double[] pts, int[] idx, double ax, double ay, double dx, double dy, double[] along, double[] across) {
        for (int k = 0; k < along.length; k++) {
            double px = pts[2 * idx[k]] - ax, py = pts[2 * idx[k] + 1] - ay;
            along[k] = px * dx + py * dy;
            across[k] = -px * dy + py * dx;
        }
    }

    private void paintLid(byte[] out, double[] to, double[] open, double blink, int[] upper) {
        double ax = to[2 * upper[0]], ay = to[2 * upper[0] + 1];
        double len = Math.hypot(to[2 * upper[3]] - ax, to[2 * upper[3] + 1] - ay);
        if (len < 2) return;
        double dx = (to[2 * upper[3]] - ax) / len, dy = (to[2 * upper[3] + 1] - ay) / len;
        double[] s0 = new double[4], t0 = new double[4], s1 = new double[4], t1 = new double[4];
        project(open, upper, ax, ay, dx, dy, s0, t0);
        project(to, upper, ax, ay, dx, dy, s1, t1);
        double margin = 0.07 * iod, lash = Math.max(0.8, 0.025 * iod), band = 0.12 * iod;
        double strength = Math.min(1, 2 * blink);
        int minX = width, maxX = -1, minY = height, maxY = -1;
        for (int k : upper) {
            for (double[] pts : new double[][] {to, open}) {
                minX = Math.min(minX, (int) Math.floor(pts[2 * k]));
                maxX = Math.max(maxX, (int) Math.ceil(pts[2 * k]));
                minY = Math.min(minY, (int) Math.floor(pts[2 * k + 1] - margin - 1));
                maxY = Math.max(maxY, (int) Math.ceil(pts[2 * k + 1] + 1));
            }
        }
        minX = clampInt(minX, 0, width - 1);
        maxX = clampInt(maxX, 0, width - 1);
        minY = clampInt(minY, 0, height - 1);
        maxY = clampInt(maxY, 0, height - 1);
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                double px = x - ax, py = y - ay;
                double s = px * dx + py * dy, t = -px * dy + py * dx;
                if (s <= 0 || s >= len) continue;
                double taper = Math.sin(Math.PI * s / len);
                double top = along(s0, t0, s) - margin * taper, edge = along(s1, t1, s);
                if (edge - top < 0.5) continue;
                double alpha = strength * Math.min(1, Math.min(t - top, edge + 0.5 - t) + 0.5);
                if (alpha <= 0) continue;
                // The lid is the skin just above it pulled down: sample a band of skin above the
                // painted region (squeezed into it), darken towards the lashes at the edge.
                double depth = (t - top) / (edge - top); // 0 at the top, 1 at the lid's edge
                double fromT = top - band * (1 - depth);
                double sx = ax + s * dx - fromT * dy, sy = ay + s * dy + fromT * dx;
                double shade = edge - t < lash ? 0.6 : 1 - 0.08 * depth;
                int i = 3 * (y * width + x);
                for (int c = 0; c < 3; c++) {
                    double lid = sample(out, sx, sy, c) * shade;
                    double mixed = alpha * lid + (1 - alpha) * (out[i + c] & 0xff);
                    out[i + c] = (byte) clampInt((int) Math.round(mixed), 0, 255);
                }
            }
        }
    }

    /** Average colour of the lips' middle (between outer and inner lip points), B, G, R. */
    private double[] lipColor(byte[] bgr, double[] pts) {
        int[][] pairs = {{50, 61}, {51, 62}, {52, 63}, {56, 65}, {57, 66}, {58, 67}};
        double[] sum = new double[3];
        for (int[] p : pairs) {
            int x = clampInt((int) Math.round((pts[2 * p[0]] + pts[2 * p[1]]) / 2), 0, width - 1);
            int y = clampInt((int) Math.round((pts[2 * p[0] + 1] + pts[2 * p[1] + 1]) / 2), 0, height - 1);
            for (int c = 0; c < 3; c++) sum[c] += (bgr[3 * (y * width + x) + c] & 0xff) / (double) pairs.length;
        }
        return sum;
    }

    /**
     * Renders one frame.
     *
     * @param from the control points in the picture (the rig's source points)
     * @param to   the control points in this frame
     */
    public BufferedImage render(double[] from, double[] to) {
        return render(from, to, null, 0);
    }

    /**
     * Renders one frame with the eyes {@code blink} closed (0..1).
     *
     * @param from   the control points in the picture (the rig's source points)
     * @param to     the control points in this frame
     * @param eyesOpen the control points of this frame with the eyes open (where the lids start), or null when not blinking
     */
    public BufferedImage render(double[] from, double[] to, double[] eyesOpen, double blink) {
        System.arraycopy(identityX, 0, mapX, 0, mapX.length);
        System.arraycopy(identityY, 0, mapY, 0, mapY.length);
        for (int k = 0; k < mesh.size(); k++) rasterise(k, from, to);
        mapXData.put(mapX, 0, mapX.length);
        mapYData.put(mapY, 0, mapY.length);
        remap(source, target, mapXMat, mapYMat, INTER_LINEAR, BORDER_REPLICATE, new Scalar());
        BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] out = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
        target.data().get(out, 0, out.length);
        paintMouth(out, to);
        if (eyesOpen != null && blink > 0) {
            paintLid(out, to, eyesOpen, blink, new int[] {36, 37, 38, 39});
            paintLid(out, to, eyesOpen, blink, new int[] {42, 43, 44, 45});
        }
        return frame;
    }

    /** Writes the source position of every pixel of target triangle {@code k} into the map. */
    private void rasterise(int k, double[] from, double[] to) {
        int a = mesh.corner(k, 0), b = mesh.corner(k, 1), c = mesh.corner(k, 2);
        double x0 = to[2 * a],
                y0 = to[2 * a + 1],
                x1 = to[2 * b],
                y1 = to[2 * b + 1],
                x2 = to[2 * c],
                y2 = to[2 * c + 1];
        double det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
        if (Math.abs(det) < 1e-9) return; // a closed eye or mouth: no pixels
        int minX = clampInt((int) Math.floor(Math.min(x0, Math.min(x1, x2))), 0, width - 1);
        int maxX = clampInt((int) Math.ceil(Math.max(x0, Math.max(x1, x2))), 0, width - 1);
        int minY = clampInt((int) Math.floor(Math.min(y0, Math.min(y1, y2))), 0, height - 1);
        int maxY = clampInt((int) Math.ceil(Math.max(y0, Math.max(y1, y2))), 0, height - 1);
        double sx0 = from[2 * a],
                sy0 = from[2 * a + 1],
                sx1 = from[2 * b],
                sy1 = from[2 * b + 1],
                sx2 = from[2 * c],
                sy2 = from[2 * c + 1];
        double eps = -1e-6;
        for (int y = minY; y <= maxY; y++) {
            double dy = y - y0;
            for (int x = minX; x <= maxX; x++) {
                double dx = x - x0;
                double l1 = (dx * (y2 - y0) - (x2 - x0) * dy) / det;
                double l2 = ((x1 - x0) * dy - dx * (y1 - y0)) / det;
                double l0 = 1 - l1 - l2;
                if (l0 < eps || l1 < eps || l2 < eps) continue;
                int i = y * width + x;
                mapX[i] = (float) (l0 * sx0 + l1 * sx1 + l2 * sx2);
                mapY[i] = (float) (l0 * sy0 + l1 * sy1 + l2 * sy2);
            }
        }
    }

    /**
     * The open mouth, painted inside the inner-lip contour: upper teeth under the upper lip (their
     * visible height grows with the gap up to about a tenth of the eye distance), a hint of lower
     * teeth, and between them a cavity darker in the middle and towards the corners. Coverage at
     * the lip line is fractional so the lips stay smooth. Works in the mouth's own axes (corner
     * 60 to corner 64), so a tilted head paints a tilted mouth.
     */
    private void paintMouth(byte[] out, double[] to) {
        double ax = to[2 * 60], ay = to[2 * 60 + 1];
        double len = Math.hypot(to[2 * 64] - ax, to[2 * 64 + 1] - ay);
        if (len < 2) return;
        double dx = (to[2 * 64] - ax) / len, dy = (to[2 * 64 + 1] - ay) / len;
        int[] upper = {60, 61, 62, 63, 64}, lower = {60, 67, 66, 65, 64};
        double[] su = new double[5], tu = new double[5], sl = new double[5], tl = new double[5];
        double maxGap = 0;
        project(to, upper, ax, ay, dx, dy, su, tu);
        project(to, lower, ax, ay, dx, dy, sl, tl);
        for (int k = 1; k < 4; k++) maxGap = Math.max(maxGap, tl[k] - tu[k]);
        if (maxGap < 1) return;
        double toothPx = 0.11 * iod;
        double upperBand = Math.min(0.5, toothPx / maxGap);
        double lowerBand = Math.min(0.2, 0.4 * toothPx / maxGap);
        int minX = width, maxX = -1, minY = height, maxY = -1;
        for (int i = 60; i < 68; i++) {
            minX = Math.min(minX, (int) Math.floor(to[2 * i]));
            maxX = Math.max(maxX, (int) Math.ceil(to[2 * i]));
            minY = Math.min(minY, (int) Math.floor(to[2 * i + 1]));
            maxY = Math.max(maxY, (int) Math.ceil(to[2 * i + 1]));
        }
        minX = clampInt(minX, 0, width - 1);
        maxX = clampInt(maxX, 0, width - 1);
        minY = clampInt(minY, 0, height - 1);
        maxY = clampInt(maxY, 0, height - 1);
        double[] col = new double[3];
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                double px = x - ax, py = y - ay;
                double s = px * dx + py * dy, t = -px * dy + py * dx;
                if (s <= 0 || s >= len) continue;
                double top = along(su, tu, s), bottom = along(sl, tl, s);
                double gap = bottom - top;
                if (gap <= 0) continue;
                double alpha = Math.min(1, Math.min(t - top, bottom - t) + 0.5);
                if (alpha <= 0) continue;
                double v = (t - top) / gap, u = 2 * s / len - 1;
                double side = 1 - 0.55 * u * u;
                if (v < upperBand) {
                    double shade = side
                            * (0.78 + 0.22 * Math.min(1, 3 * v / upperBand))
                            * (0.93 + 0.07 * Math.abs(Math.cos(u * Math.PI * 3.5)));
                    for (int c = 0; c < 3; c++) col[c] = TEETH[c] * shade;
                } else if (v > 1 - lowerBand) {
                    for (int c = 0; c < 3; c++) col[c] = TEETH[c] * 0.55 * side;
                } else {
                    double depth = Math.sin(Math.PI * (v - upperBand) / Math.max(1e-6, 1 - upperBand - lowerBand));
                    double shade = (0.45 - 0.25 * depth) * side;
                    for (int c = 0; c < 3; c++) col[c] = lipColor[c] * shade;
                }
                int i = 3 * (y * width + x);
                for (int c = 0; c < 3; c++) {
                    double mixed = alpha * col[c] + (1 - alpha) * (out[i + c] & 0xff);
                    out[i + c] = (byte) clampInt((int) Math.round(mixed), 0, 255);
                }
            }
        }
    }

    /** Bilinear sample of channel {@code c} of the frame being painted (clamped to the picture). */
    private double sample(byte[] img, double x, double y, int c) {
        x = Math.max(0, Math.min(width - 1.001, x));
        y = Math.max(0, Math.min(height - 1.001, y));
        int x0 = (int) x, y0 = (int) y;
        double fx = x - x0, fy = y - y0;
        int i = 3 * (y0 * width + x0) + c, j = i + 3 * width;
        return (1 - fy) * ((1 - fx) * (img[i] & 0xff) + fx * (img[i + 3] & 0xff))
                + fy * ((1 - fx) * (img[j] & 0xff) + fx * (img[j + 3] & 0xff));
    }

    /** The lip curve's offset at position {@code s} along the mouth (piecewise linear). */
    private static double along(double[] s, double[] t, double at) {
        for (int k = 1; k < s.length; k++) {
            if (at <= s[k] || k == s.length - 1) {
                double span = s[k] - s[k - 1];
                double f = span > 1e-9 ? (at - s[k - 1]) / span : 1;
                return t[k - 1] + Math.max(0, Math.min(1, f)) * (t[k] - t[k - 1]);
            }
        }
        return t[t.length - 1];
    }

    private static int clampInt(int x, int lo, int hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    @Override
    public void close() {
        source.close();
        target.close();
        mapXMat.close();
        mapYMat.close();
    }
}
