package studio.render.neural;

/**
 * SadTalker's generate_facerender_batch data preparation: the target coefficient sequence (F × 70
 * from the motion stage) adjusted (expression scale, crop parameters appended in full mode, pose
 * frozen in still mode), then for each frame the window of 27 frames centred on it (radius 13,
 * indices clamped at the ends), transposed to (coefficients × 27) as the mapping net reads it.
 */
public final class CoefficientWindows {
    public static final int RADIUS = 13;
    public static final int WINDOW = 2 * RADIUS + 1;
    private final float[][] coeffs;
    private final int width;

    /**
     * @param source   the source portrait's coefficients (at least {@code width} values; 73 in full mode)
     * @param target   F × 70 (or more; the first 70 are used) driving coefficients
     * @param width    70 (crop/resize modes) or 73 (full modes: the last 3 are crop parameters)
     */
    public CoefficientWindows(float[] source, float[][] target, int width, double expressionScale, boolean still) {
        this.width = width;
        this.coeffs = new float[target.length][width];
        for (int f = 0; f < target.length; f++) {
            float[] row = coeffs[f];
            System.arraycopy(target[f], 0, row, 0, 70);
            for (int i = 0; i < 64; i++) row[i] = (float) (row[i] * expressionScale);
            for (int i = 70; i < width; i++) row[i] = source[i];
            if (still) System.arraycopy(source, 64, row, 64, width - 64);
        }
    }

    /** The source's own window: its coefficients repeated 27 times, (width × 27) row-major. */
    public static float[] sourceWindow(float[] source, int width) {
        float[] out = new float[width * WINDOW];
        for (int c = 0; c < width; c++) for (int j = 0; j < WINDOW; j++) out[c * WINDOW + j] = source[c];
        return out;
    }

    public int frames() {
        return coeffs.length;
    }

    public int width() {
        return width;
    }

    /** Window of frame {@code f}, (width × 27) row-major, written at {@code offset} of {@code out}. */
    public void window(int f, float[] out, int offset) {
        int n = coeffs.length;
        for (int j = 0; j < WINDOW; j++) {
            int src = Math.min(Math.max(f - RADIUS + j, 0), n - 1);
            float[] row = coeffs[src];
            for (int c = 0; c < width; c++) out[offset + c * WINDOW + j] = row[c];
        }
    }
}
