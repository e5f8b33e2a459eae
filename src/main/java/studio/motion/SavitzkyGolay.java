package studio.motion;

/**
 * Savitzky–Golay smoothing along time as {@code scipy.signal.savgol_filter(x, window, order,
 * axis=0, mode='interp')}: interior samples use the centred least-squares polynomial; the first
 * and last {@code window/2} samples are evaluated on the polynomial fitted to the first / last
 * window. Written by hand: no Java library offers scipy's edge mode.
 */
public final class SavitzkyGolay {
    private SavitzkyGolay() {}

    /**
     * @param data row-major rows x cols, smoothed down each column
     * @return a new array; unchanged copy when the window cannot hold the polynomial
     */
    public static float[] smooth(float[] data, int rows, int cols, int window, int order) {
        float[] out = data.clone();
        if (window % 2 == 0 || window > rows || window <= order) return out;
        double[][] h = projection(window, order);
        int half = window / 2;
        for (int c = 0; c < cols; c++) {
            for (int t = 0; t < rows; t++) {
                int start;
                int at;
                if (t < half) {
                    start = 0;
                    at = t;
                } else if (t >= rows - half) {
                    start = rows - window;
                    at = t - start;
                } else {
                    start = t - half;
                    at = half;
                }
                double s = 0;
                for (int j = 0; j < window; j++) s += h[at][j] * data[(start + j) * cols + c];
                out[t * cols + c] = (float) s;
            }
        }
        return out;
    }

    /** H = X (XᵀX)⁻¹ Xᵀ for the Vandermonde matrix X of positions 0..window-1 centred: row t evaluates the fit at t. */
    static double[][] projection(int window, int order) {
        int k = order + 1;
        double mid = (window - 1) / 2.0;
        double[][] x = new double[window][k];
        for (int i = 0; i < window; i++) for (int p = 0; p < k; p++) x[i][p] = Math.pow(i - mid, p);
        double[][] xtx = new double[k][k];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) for (int i = 0; i < window; i++) xtx[a][b] += x[i][a] * x[i][b];
        double[][] inv = invert(xtx);
        double[][] h = new double[window][window];
        for (int i = 0; i < window; i++)
            for (int j = 0; j < window; j++) {
                double s = 0;
                for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) s += x[i][a] * inv[a][b] * x[j][b];
                h[i][j] = s;
            }
        return h;
    }

    private static double[][] invert(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, a[i], 0, n);
            a[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
            double[] tmp = a[col];
            a[col] = a[piv];
            a[piv] = tmp;
            double d = a[col][col];
            for (int j = 0; j < 2 * n; j++) a[col][j] /= d;
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = a[r][col];
                for (int j = 0; j < 2 * n; j++) a[r][j] -= f * a[col][j];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(a[i], n, inv[i], 0, n);
        return inv;
    }
}
