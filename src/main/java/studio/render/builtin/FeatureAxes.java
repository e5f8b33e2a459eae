package studio.render.builtin;

import java.util.Arrays;

/**
 * A feature's own axes in one frame: the line from one corner landmark to the other (the mouth's
 * 60→64, an eye's 36→39), so a tilted head paints a tilted mouth or lid. Positions are {@code s}
 * along the axis and {@code t} across it (down the face), in pixels; the lip and lid contours are
 * smooth curves t(s) through their landmarks (monotone cubic, so no overshoot and no polygon corners).
 */
final class FeatureAxes {
    final double ax, ay, dx, dy, len;

    FeatureAxes(double[] pts, int from, int to) {
        ax = pts[2 * from];
        ay = pts[2 * from + 1];
        double ex = pts[2 * to] - ax, ey = pts[2 * to + 1] - ay;
        len = Math.hypot(ex, ey);
        dx = len > 1e-9 ? ex / len : 1;
        dy = len > 1e-9 ? ey / len : 0;
    }

    double s(double x, double y) {
        return (x - ax) * dx + (y - ay) * dy;
    }

    double t(double x, double y) {
        return -(x - ax) * dy + (y - ay) * dx;
    }

    double x(double s, double t) {
        return ax + s * dx - t * dy;
    }

    double y(double s, double t) {
        return ay + s * dy + t * dx;
    }

    /** The contour through landmarks {@code idx} (corner to corner) as a curve in these axes. */
    Curve curve(double[] pts, int... idx) {
        return curve(pts, 0, idx);
    }

    /**
     * The contour with its two end points moved {@code ext} pixels outwards along the axis: the
     * detectors put eye corners a little inside the visible corners.
     */
    Curve curve(double[] pts, double ext, int... idx) {
        double[] s = new double[idx.length], t = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
            s[k] = s(pts[2 * idx[k]], pts[2 * idx[k] + 1]);
            t[k] = t(pts[2 * idx[k]], pts[2 * idx[k] + 1]);
        }
        s[0] -= ext;
        s[idx.length - 1] += ext;
        return new Curve(s, t);
    }

    /**
     * A monotone cubic (Fritsch-Carlson) through points sorted by s; constant beyond the ends.
     * Written by hand: a dozen lines, evaluated per pixel, where a library's interpolator would
     * allocate per frame.
     */
    static final class Curve {
        private final double[] s, t, m;

        Curve(double[] s0, double[] t0) {
            int n = s0.length;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Double.compare(s0[a], s0[b]));
            s = new double[n];
            t = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = s0[order[i]];
                t[i] = t0[order[i]];
            }
            double[] d = new double[Math.max(1, n - 1)];
            for (int i = 0; i + 1 < n; i++) {
                double h = s[i + 1] - s[i];
                d[i] = h > 1e-9 ? (t[i + 1] - t[i]) / h : 0;
            }
            m = new double[n];
            for (int i = 0; i < n; i++) {
                if (i == 0) m[i] = d[0];
                else if (i == n - 1) m[i] = d[n - 2];
                else m[i] = d[i - 1] * d[i] <= 0 ? 0 : 2 / (1 / d[i - 1] + 1 / d[i]);
            }
        }

        double at(double x) {
            int n = s.length;
            if (x <= s[0]) return t[0];
            if (x >= s[n - 1]) return t[n - 1];
            int k = 0;
            while (k + 2 < n && x > s[k + 1]) k++;
            double h = s[k + 1] - s[k];
            if (h < 1e-9) return t[k];
            double u = (x - s[k]) / h, u2 = u * u, u3 = u2 * u;
            return (2 * u3 - 3 * u2 + 1) * t[k]
                    + (u3 - 2 * u2 + u) * h * m[k]
                    + (-2 * u3 + 3 * u2) * t[k + 1]
                    + (u3 - u2) * h * m[k + 1];
        }
    }

    /** Bilinear sample of channel {@code c} of a BGR picture {@code width} × {@code height}, clamped to it. */
    static double sample(byte[] img, int width, int height, double x, double y, int c) {
        x = Math.max(0, Math.min(width - 1.001, x));
        y = Math.max(0, Math.min(height - 1.001, y));
        int x0 = (int) x, y0 = (int) y;
        double fx = x - x0, fy = y - y0;
        int i = 3 * (y0 * width + x0) + c, j = i + 3 * width;
        return (1 - fy) * ((1 - fx) * (img[i] & 0xff) + fx * (img[i + 3] & 0xff))
                + fy * ((1 - fx) * (img[j] & 0xff) + fx * (img[j + 3] & 0xff));
    }
}
