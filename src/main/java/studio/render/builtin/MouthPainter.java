package studio.render.builtin;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The open mouth, painted inside this frame's inner-lip contour wherever it is open wider than in
 * the photo (at rest nothing is painted: the photo's own mouth shows).
 *
 * <p>When the photo shows teeth or an open mouth, what is there is animated: the band under the
 * upper lip (upper teeth) moves with the upper lip and the band above the lower lip (lower teeth,
 * tongue) with the jaw, and only the gap that opens between them is new. Otherwise the interior is
 * synthesised in the photo's own tones (see {@link PhotoLook}): upper teeth partly covered by the
 * upper lip, with gaps between them that narrow towards the corners as the dental arch turns away,
 * a hint of lower teeth, a tongue in wide vowels, and a cavity that falls off into the throat; no
 * colour brighter than the face's skin highlights. The synthesised layer is anti-aliased, blurred
 * like the photo and given its grain; the lips' inner edges are shaded as they part.
 */
final class MouthPainter {
    private static final int[] UPPER = {60, 61, 62, 63, 64}, LOWER = {60, 67, 66, 65, 64};

    private final PhotoLook look;
    private final byte[] photo;
    private final int width, height;
    private final double iod;
    private final FeatureAxes sourceAxes;
    private final FeatureAxes.Curve sourceUpper, sourceLower;
    /** Whether the photo's mouth is open enough to show its own teeth and interior. */
    private final boolean photoInterior;

    private final double[] teeth = new double[3], tongue = new double[3];
    private final SplittableRandom grain = new SplittableRandom(0x7EE7L);
    private float[] layer = new float[0];

    MouthPainter(byte[] photo, int width, int height, double[] sourcePts, double iod, PhotoLook look) {
        this.photo = photo;
        this.width = width;
        this.height = height;
        this.iod = iod;
        this.look = look;
        sourceAxes = new FeatureAxes(sourcePts, 60, 64);
        sourceUpper = sourceAxes.curve(sourcePts, UPPER);
        sourceLower = sourceAxes.curve(sourcePts, LOWER);
        double gap = 0;
        for (double f = 0.3; f <= 0.7; f += 0.1)
            gap = Math.max(gap, sourceLower.at(f * sourceAxes.len) - sourceUpper.at(f * sourceAxes.len));
        photoInterior = gap > 0.05 * iod;
        // Teeth: ivory at the luminance of the skin's highlights (a painting's blue or grey strokes
        // must not tint them), a little below it.
        double hl = PhotoLook.luma(look.skinHighlight);
        double[] ivory = {0.84, 0.95, 1.07}; // B, G, R, luminance 0.98
        for (int c = 0; c < 3; c++) teeth[c] = 0.8 * hl * ivory[c] + 0.2 * look.skinHighlight[c];
        look.capToSkin(teeth, 0.82);
        for (int c = 0; c < 3; c++) tongue[c] = 0.55 * look.lip[c] + 0.1 * look.shadow[c];
        look.capToSkin(tongue, 0.7);
    }

    /** Paints the mouth of the frame {@code out} whose control points are {@code to}. */
    void paint(byte[] out, double[] to) {
        FeatureAxes axes = new FeatureAxes(to, 60, 64);
        if (axes.len < 2) return;
        FeatureAxes.Curve upper = axes.curve(to, UPPER), lower = axes.curve(to, LOWER);
        double scale = sourceAxes.len / axes.len; // target s to source s
        int minX = width, maxX = -1, minY = height, maxY = -1;
        for (int i = 48; i < 68; i++) {
            minX = Math.min(minX, (int) Math.floor(to[2 * i]) - 2);
            maxX = Math.max(maxX, (int) Math.ceil(to[2 * i]) + 2);
            minY = Math.min(minY, (int) Math.floor(to[2 * i + 1]) - 2);
            maxY = Math.max(maxY, (int) Math.ceil(to[2 * i + 1]) + 2);
        }
        minX = Math.max(0, minX);
        minY = Math.max(0, minY);
        maxX = Math.min(width - 1, maxX);
        maxY = Math.min(height - 1, maxY);
        if (maxX < minX || maxY < minY) return;
        int w = maxX - minX + 1, h = maxY - minY + 1;
        if (layer.length < 4 * w * h) layer = new float[4 * w * h];
        Arrays.fill(layer, 0, 4 * w * h, 0f);
        boolean any = false;
        double edgeShade = 0.035 * iod;
        double[] col = new double[3];
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                double s = axes.s(x, y), t = axes.t(x, y);
                if (s <= 0 || s >= axes.len) continue;
                double top = upper.at(s), bottom = lower.at(s), gap = bottom - top;
                double ss = s * scale;
                double srcTop = sourceUpper.at(ss), srcBottom = sourceLower.at(ss);
                double srcGap = Math.max(0, srcBottom - srcTop) / scale;
                double opened = gap - srcGap;
                if (opened <= 0.25) continue;
                int i = 3 * (y * width + x);
                // The lips' inner edges darken as they part (the lip curls into the mouth's shadow).
                double openness = Math.min(1, opened / (0.08 * iod));
                if (t < top && t > top - edgeShade) shade(out, i, 1 - 0.28 * openness * (1 - (top - t) / edgeShade));
                if (t > bottom && t < bottom + edgeShade)
                    shade(out, i, 1 - 0.22 * openness * (1 - (t - bottom) / edgeShade));
                double coverage = Math.min(1, Math.min(t - top, bottom - t) + 0.5);
                if (coverage <= 0) continue;
                double fromTop = t - top, fromBottom = bottom - t;
                double band = srcGap / 2;
                if (photoInterior && (fromTop < band || fromBottom < band)) {
                    // The photo's own teeth: rigid with the lip they belong to.
                    double st = fromTop < band ? srcTop + fromTop * scale : srcBottom - fromBottom * scale;
                    double sx = sourceAxes.x(ss, st), sy = sourceAxes.y(ss, st);
                    for (int c = 0; c < 3; c++)
                        blend(out, i + c, FeatureAxes.sample(photo, width, height, sx, sy, c), Math.min(1, coverage));
                    continue;
                }
                double synTop = top + (photoInterior ? band : 0), synGap = gap - (photoInterior ? 2 * band : 0);
                if (synGap <= 0) continue;
                interior(
                        col, (t - synTop) / synGap, 2 * s / axes.len - 1, t - synTop, synGap, axes.len, !photoInterior);
                int k = 4 * ((y - minY) * w + (x - minX));
                for (int c = 0; c < 3; c++) layer[k + c] = (float) (col[c] * coverage);
                layer[k + 3] = (float) coverage;
                any = true;
            }
        }
        if (!any) return;
        Blur.gaussian(layer, w, h, 4, Math.sqrt(Math.max(0, look.blurSigma * look.blurSigma - 0.25)));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int k = 4 * (y * w + x);
                float a = layer[k + 3];
                if (a <= 0.002f) continue;
                int i = 3 * ((y + minY) * width + x + minX);
                double noise = look.grain * grain.nextGaussian();
                for (int c = 0; c < 3; c++) {
                    double v = layer[k + c] / a + noise;
                    blend(out, i + c, v, Math.min(1, a));
                }
            }
        }
    }

    /**
     * The synthesised interior at relative depth {@code v} (0 at the upper lip, 1 at the lower),
     * position {@code u} (-1 and 1 at the corners); {@code px} pixels below the upper lip in a gap
     * of {@code gap} pixels, on a mouth {@code len} pixels wide.
     */
    private void interior(double[] col, double v, double u, double px, double gap, double len, boolean withTeeth) {
        double side = 1 - 0.55 * u * u;
        double depth = Math.sin(Math.PI * Math.max(0, Math.min(1, v))) * (1 - 0.6 * u * u);
        for (int c = 0; c < 3; c++) col[c] = look.shadow[c] * (1.0 - 0.5 * depth) * side;
        double fromBottom = gap - px;
        // Tongue: a low mound behind the lower teeth in wide vowels.
        double tongueH = Math.max(0, gap - 0.12 * iod) * 0.45 * Math.sqrt(Math.max(0, 1 - u * u));
        if (tongueH > 0 && fromBottom < tongueH + 0.5) {
            double a = Math.min(1, tongueH + 0.5 - fromBottom);
            double lit = 0.55 + 0.35 * Math.min(1, fromBottom / Math.max(1, tongueH)); // lit from above
            for (int c = 0; c < 3; c++) col[c] += a * (tongue[c] * lit * side - col[c]);
        }
        if (!withTeeth) return;
        // Upper teeth: visible height grows with the gap; their tops hide under the upper lip.
        double toothH = Math.min(0.5 * gap, 0.1 * iod);
        double theta = Math.asin(Math.max(-0.999, Math.min(0.999, u)));
        double phase = theta / (Math.PI / 10); // ten teeth across the visible arch
        double within = phase - Math.floor(phase); // 0..1 across one tooth
        double toothPx = Math.max(0.5, Math.PI / 10 * Math.cos(theta) * len / 2);
        double gapLine = Math.min(1, Math.min(within, 1 - within) * toothPx / 0.7); // ~1 px dark line
        double edge = toothH * (0.86 + 0.14 * Math.sin(Math.PI * within));
        if (px < edge + 0.5) {
            double a = Math.min(1, edge + 0.5 - px);
            double shade = (0.72 + 0.28 * Math.min(1, px / Math.max(1, 0.4 * toothH))) * (0.6 + 0.4 * gapLine) * side;
            for (int c = 0; c < 3; c++) col[c] += a * (teeth[c] * shade - col[c]);
        }
        // Lower teeth: behind the lower lip; a thin, shadowed edge in the middle of wide openings.
        double lowH = gap > 0.2 * iod ? Math.min(0.12 * gap, 0.03 * iod) * Math.max(0, 1 - u * u / 0.36) : 0;
        if (lowH > 0.8 && fromBottom < lowH + 0.5) {
            double a = Math.min(1, lowH + 0.5 - fromBottom) * 0.6;
            double shade = 0.5 * (0.65 + 0.35 * gapLine) * side;
            for (int c = 0; c < 3; c++) col[c] += a * (teeth[c] * shade - col[c]);
        }
        look.capToSkin(col, 0.85);
    }

    private static void shade(byte[] out, int i, double f) {
        for (int c = 0; c < 3; c++)
            out[i + c] = (byte) Math.max(0, Math.min(255, (int) Math.round((out[i + c] & 0xff) * f)));
    }

    private static void blend(byte[] out, int i, double v, double a) {
        double mixed = a * v + (1 - a) * (out[i] & 0xff);
        out[i] = (byte) Math.max(0, Math.min(255, (int) Math.round(mixed)));
    }
}
