package studio.motion;

/**
 * Pillow's {@code Image.resize(size, BICUBIC)} for 8-bit channels, reproduced exactly: a separable
 * cubic filter (a = -0.5) whose support widens by the reduction factor when shrinking
 * (antialiasing), 22-bit fixed-point weights, horizontal pass then vertical pass, each rounded
 * and clipped to 0..255. Written by hand because SadTalker's alignment depends on Pillow's
 * filter, which neither OpenCV nor Java2D implements.
 */
final class PillowResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PillowResize() {}

    private record Coefficients(int[] bounds, int[] weights, int ksize) {}

    /** One channel plane, row-major {@code w x h}, to {@code nw x nh}. */
    static int[] bicubic(int[] plane, int w, int h, int nw, int nh) {
        int[] tmp = plane;
        int tw = w;
        if (nw != w) {
            Coefficients cx = coefficients(w, nw);
            tmp = new int[nw * h];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < nw; x++) {
                    int min = cx.bounds[2 * x], n = cx.bounds[2 * x + 1];
                    long ss = 1L << (PRECISION_BITS - 1);
                    for (int k = 0; k < n; k++) ss += (long) plane[y * w + min + k] * cx.weights[x * cx.ksize + k];
                    tmp[y * nw + x] = clip8(ss);
                }
            tw = nw;
        }
        if (nh == h) return tmp;
        Coefficients cy = coefficients(h, nh);
        int[] out = new int[tw * nh];
        for (int y = 0; y < nh; y++) {
            int min = cy.bounds[2 * y], n = cy.bounds[2 * y + 1];
            for (int x = 0; x < tw; x++) {
                long ss = 1L << (PRECISION_BITS - 1);
                for (int k = 0; k < n; k++) ss += (long) tmp[(min + k) * tw + x] * cy.weights[y * cy.ksize + k];
                out[y * tw + x] = clip8(ss);
            }
        }
        return out;
    }

    private static int clip8(long ss) {
        long v = ss >> PRECISION_BITS;
        return (int) Math.max(0, Math.min(255, v));
    }

    private static double filter(double x) {
        final double a = -0.5;
        if (x < 0) x = -x;
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 2.0 * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] weights = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double ww = 0;
            for (int x = 0; x < xmax; x++) {
                k[x] = filter((x + xmin - center + 0.5) * ss);
                ww += k[x];
            }
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0 ? k[x] / ww : k[x];
                weights[xx * ksize + x] =
                        (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
            }
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return new Coefficients(bounds, weights, ksize);
    }
}
