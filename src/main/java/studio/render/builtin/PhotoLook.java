package studio.render.builtin;

import java.util.Arrays;

/**
 * What painted parts must match to pass for the photo, measured once on the portrait: the face's
 * skin tones (the 90th percentile of skin luminance caps every painted colour, so a dark photo
 * never gets glowing teeth), the lips' own colour and the darkest tone between them (the mouth's
 * shadow), the photo's blur (from how much a known extra blur lowers its sharpest gradients) and
 * its grain (the noise left after removing that blur on smooth skin).
 */
final class PhotoLook {
    /** B, G, R. */
    final double[] skin = new double[3], skinHighlight = new double[3], lip = new double[3], shadow = new double[3];

    final double skinP90Luma;
    /** Gaussian sigma of the photo's own blur, and the standard deviation of its grain, in pixels / levels. */
    final double blurSigma, grain;

    PhotoLook(byte[] bgr, int width, int height, double[] pts, double iod) {
        // Skin: small patches on the cheeks and the nose bridge, away from eyes, brows, lips and beard.
        double[][] patches = {
            mix(pts, 31, 2, 0.45),
            mix(pts, 35, 14, 0.45),
            mix(pts, 29, 2, 0.5),
            mix(pts, 29, 14, 0.5),
            mix(pts, 27, 28, 0.5)
        };
        int r = Math.max(1, (int) Math.round(0.08 * iod));
        double[] lumas = new double[patches.length * (2 * r + 1) * (2 * r + 1)];
        double[][] colours = new double[lumas.length][];
        int n = 0;
        for (double[] p : patches) {
            for (int y = (int) p[1] - r; y <= (int) p[1] + r; y++) {
                for (int x = (int) p[0] - r; x <= (int) p[0] + r; x++) {
                    if (x < 0 || y < 0 || x >= width || y >= height) continue;
                    int i = 3 * (y * width + x);
                    double[] c = {bgr[i] & 0xff, bgr[i + 1] & 0xff, bgr[i + 2] & 0xff};
                    colours[n] = c;
                    lumas[n++] = luma(c);
                }
            }
        }
        if (n == 0) {
            colours[0] = new double[] {128, 128, 128};
            lumas[0] = 128;
            n = 1;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        final double[] l = lumas;
        Arrays.sort(order, (a, b) -> Double.compare(l[a], l[b]));
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < n; k++) skin[c] += colours[order[k]][c] / n;
            int lo = (int) (0.8 * (n - 1)), hi = (int) (0.95 * (n - 1));
            for (int k = lo; k <= hi; k++) skinHighlight[c] += colours[order[k]][c] / (hi - lo + 1);
        }
        skinP90Luma = lumas[order[(int) (0.9 * (n - 1))]];

        // Lips: the middle of each lip (between outer and inner contour); shadow: the darkest pixels
        // on the line between the lips (the photo's own mouth shadow, whatever its palette).
        int[][] pairs = {{50, 61}, {51, 62}, {52, 63}, {56, 65}, {57, 66}, {58, 67}};
        for (int[] p : pairs) {
            double[] c = at(
                    bgr,
                    width,
                    height,
                    (pts[2 * p[0]] + pts[2 * p[1]]) / 2,
                    (pts[2 * p[0] + 1] + pts[2 * p[1] + 1]) / 2);
            for (int k = 0; k < 3; k++) lip[k] += c[k] / pairs.length;
        }
        double[] darkest = null;
        double darkestLuma = Double.MAX_VALUE;
        for (int[] p : new int[][] {{61, 67}, {62, 66}, {63, 65}, {60, 60}, {64, 64}}) {
            for (double f = 0; f <= 1.0001; f += 0.25) {
                double x = pts[2 * p[0]] + f * (pts[2 * p[1]] - pts[2 * p[0]]);
                double y = pts[2 * p[0] + 1] + f * (pts[2 * p[1] + 1] - pts[2 * p[0] + 1]);
                double[] c = at(bgr, width, height, x, y);
                if (luma(c) < darkestLuma) {
                    darkestLuma = luma(c);
                    darkest = c;
                }
            }
        }
        // The shadow is the darker of the photo's lip line and a deep shade of its lip colour, but
        // never black: the inside of a mouth is lit by the same light as the lips, only dimmer.
        for (int k = 0; k < 3; k++) shadow[k] = Math.max(0.35 * lip[k], Math.min(darkest[k], 0.5 * lip[k]));

        double[] blurAndGrain = blurAndGrain(bgr, width, height, pts, iod);
        blurSigma = blurAndGrain[0];
        grain = blurAndGrain[1];
    }

    static double luma(double[] bgr) {
        return 0.114 * bgr[0] + 0.587 * bgr[1] + 0.299 * bgr[2];
    }

    /** {@code c} scaled down, if needed, so that its luminance is at most {@code fraction} of the skin's 90th percentile. */
    void capToSkin(double[] c, double fraction) {
        double l = luma(c), cap = fraction * skinP90Luma;
        if (l > cap && l > 0) for (int k = 0; k < 3; k++) c[k] *= cap / l;
    }

    private static double[] mix(double[] pts, int a, int b, double f) {
        return new double[] {
            pts[2 * a] + f * (pts[2 * b] - pts[2 * a]), pts[2 * a + 1] + f * (pts[2 * b + 1] - pts[2 * a + 1])
        };
    }

    private static double[] at(byte[] bgr, int width, int height, double x, double y) {
        int xi = Math.max(0, Math.min(width - 1, (int) Math.round(x)));
        int yi = Math.max(0, Math.min(height - 1, (int) Math.round(y)));
        int i = 3 * (yi * width + xi);
        return new double[] {bgr[i] & 0xff, bgr[i + 1] & 0xff, bgr[i + 2] & 0xff};
    }

    /**
     * Blur: for an edge blurred by sigma b, the steepest gradient falls by b / sqrt(b² + 1) after an
     * extra blur of sigma 1, so b follows from the ratio of the face's 99th-percentile gradients
     * before and after. Grain: the median absolute difference from a 3×3 mean over the cheeks,
     * scaled to a standard deviation.
     */
    private static double[] blurAndGrain(byte[] bgr, int width, int height, double[] pts, double iod) {
        double minX = Double.MAX_VALUE, maxX = -1, minY = Double.MAX_VALUE, maxY = -1;
        for (int i = 17; i < 68; i++) {
            minX = Math.min(minX, pts[2 * i]);
            maxX = Math.max(maxX, pts[2 * i]);
            minY = Math.min(minY, pts[2 * i + 1]);
            maxY = Math.max(maxY, pts[2 * i + 1]);
        }
        int x0 = Math.max(1, (int) minX), x1 = Math.min(width - 2, (int) maxX);
        int y0 = Math.max(1, (int) minY), y1 = Math.min(height - 2, (int) maxY);
        int w = x1 - x0 + 1, h = y1 - y0 + 1;
        if (w < 8 || h < 8) return new double[] {0.5, 0};
        double[] g = new double[(w + 8) * (h + 8)];
        int gw = w + 8;
        for (int y = 0; y < h + 8; y++)
            for (int x = 0; x < gw; x++) {
                int xi = Math.max(0, Math.min(width - 1, x0 - 4 + x)),
                        yi = Math.max(0, Math.min(height - 1, y0 - 4 + y));
                int i = 3 * (yi * width + xi);
                g[y * gw + x] = 0.114 * (bgr[i] & 0xff) + 0.587 * (bgr[i + 1] & 0xff) + 0.299 * (bgr[i + 2] & 0xff);
            }
        float[] soft = new float[g.length];
        for (int i = 0; i < g.length; i++) soft[i] = (float) g[i];
        Blur.gaussian(soft, gw, h + 8, 1, 1.0);
        double[] blurred = new double[g.length];
        for (int i = 0; i < g.length; i++) blurred[i] = soft[i];
        double sharp = gradientPercentile(g, gw, h + 8, 0.99), smooth = gradientPercentile(blurred, gw, h + 8, 0.99);
        double ratio = sharp > 1e-6 ? Math.min(0.995, smooth / sharp) : 0.995;
        double sigma = Math.max(0.4, Math.min(4, ratio / Math.sqrt(1 - ratio * ratio)));
        // grain on the cheek patch below the left eye
        double[] residual = new double[w * h];
        int m = 0;
        for (int y = 5; y < h + 3; y++)
            for (int x = 5; x < gw - 5; x++) {
                double mean = 0;
                for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++) mean += g[(y + dy) * gw + x + dx] / 9;
                if (m < residual.length) residual[m++] = Math.abs(g[y * gw + x] - mean);
            }
        double[] r = Arrays.copyOf(residual, m);
        Arrays.sort(r);
        // The residual also holds skin texture (wrinkles, pores), so only part of it is taken as grain.
        double grain = m == 0 ? 0 : Math.min(6, 0.6 * 1.4826 * r[m / 2] * 1.12);
        return new double[] {sigma, grain};
    }

    private static double gradientPercentile(double[] g, int w, int h, double q) {
        double[] mags = new double[(w - 2) * (h - 2)];
        int n = 0;
        for (int y = 1; y < h - 1; y++)
            for (int x = 1; x < w - 1; x++)
                mags[n++] = Math.hypot(g[y * w + x + 1] - g[y * w + x - 1], g[(y + 1) * w + x] - g[(y - 1) * w + x]);
        Arrays.sort(mags, 0, n);
        return n == 0 ? 0 : mags[(int) (q * (n - 1))];
    }
}
