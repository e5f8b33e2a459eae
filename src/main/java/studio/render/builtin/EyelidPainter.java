package studio.render.builtin;

/**
 * Blinks, painted: the upper lid — the photo's own lid skin and lash line — slides down over the
 * eye and the lower lid rises a little to meet it, so the eye really closes (the warp leaves the
 * eye's texture alone; squashing it smeared the iris into the lids). The lid's skin is the band
 * between the crease and the lashes, stretched as a real lid stretches; edges are anti-aliased.
 */
final class EyelidPainter {
    private static final int[][] EYES = {{36, 37, 38, 39, 41, 40}, {42, 43, 44, 45, 47, 46}};
    /** Where the lids meet when closed, from the upper lid (0) to the lower (1). */
    private static final double MEET = 0.8;

    private final int width, height;
    private final double iod;
    private byte[] base = new byte[0];
    /** The lid's own tone: the face's skin a little shaded. */
    private final double[] lidTone, lashTone, retone = new double[3], px = new double[3];

    EyelidPainter(int width, int height, double iod, PhotoLook look) {
        this.lidTone = look.skin.clone();
        look.capToSkin(lidTone, 0.82);
        this.lashTone = look.shadow.clone();
        look.capToSkin(lashTone, 0.3);
        this.width = width;
        this.height = height;
        this.iod = iod;
    }

    /** Closes the eyes of frame {@code out} (control points {@code to}) by {@code blink} 0..1. */
    void paint(byte[] out, double[] to, double blink) {
        if (blink <= 0) return;
        // SadTalker's blink curve peaks at 1 for one frame; the lids are shut from 0.85 on.
        double closure = Math.min(1, blink / 0.85);
        if (base.length != out.length) base = new byte[out.length];
        System.arraycopy(out, 0, base, 0, out.length);
        for (int[] e : EYES) paintEye(out, to, e, closure);
    }

    private void paintEye(byte[] out, double[] to, int[] e, double closure) {
        FeatureAxes axes = new FeatureAxes(to, e[0], e[3]);
        if (axes.len < 2) return;
        double ext = 0.1 * axes.len;
        FeatureAxes.Curve upper = axes.curve(to, ext, e[0], e[1], e[2], e[3]);
        FeatureAxes.Curve lower = axes.curve(to, ext, e[0], e[4], e[5], e[3]);
        double crease = 0.1 * iod, under = 0.04 * iod, lashWidth = Math.max(1, 0.018 * iod);
        int minX = width, maxX = -1, minY = height, maxY = -1;
        for (int k : e) {
            minX = Math.min(minX, (int) Math.floor(to[2 * k] - ext - 1));
            maxX = Math.max(maxX, (int) Math.ceil(to[2 * k] + ext + 1));
            minY = Math.min(minY, (int) Math.floor(to[2 * k + 1] - crease - 2));
            maxY = Math.max(maxY, (int) Math.ceil(to[2 * k + 1] + under + 2));
        }
        minX = Math.max(0, minX);
        minY = Math.max(0, minY);
        maxX = Math.min(width - 1, maxX);
        maxY = Math.min(height - 1, maxY);
        double overlap = closure >= 0.999 ? 0.6 : 0;
        // The crease band's mean colour: the stretched lid is re-toned from it to the skin's tone,
        // keeping its texture (a shadowed crease must not become a grey lid).
        double[] band = new double[3];
        int bandCount = 0;
        for (double s = 0.2 * axes.len; s <= 0.8 * axes.len; s += 1) {
            double tu = upper.at(s);
            for (double t = tu - crease; t <= tu - 0.55 * crease; t += 1) {
                int x = (int) Math.round(axes.x(s, t)), y = (int) Math.round(axes.y(s, t));
                if (x < 0 || y < 0 || x >= width || y >= height) continue;
                int i = 3 * (y * width + x);
                for (int c = 0; c < 3; c++) band[c] += base[i + c] & 0xff;
                bandCount++;
            }
        }
        for (int c = 0; c < 3; c++) {
            double mean = bandCount > 0 ? band[c] / bandCount : lidTone[c];
            retone[c] = Math.max(0.6, Math.min(1.8, lidTone[c] / Math.max(1, mean)));
        }
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                double s = axes.s(x, y), t = axes.t(x, y);
                if (s <= -ext || s >= axes.len + ext) continue;
                double tu = upper.at(s), tl = lower.at(s), open = tl - tu;
                if (open <= 0.3) continue;
                double taper = Math.sqrt(Math.sin(Math.PI * (s + ext) / (axes.len + 2 * ext)));
                double meet = tu + MEET * open;
                double edge = tu + closure * (meet - tu) + overlap, rise = tl - closure * (tl - meet) - overlap;
                double top = tu - crease * taper, bottom = tl + under * taper;
                int i = 3 * (y * width + x);
                if (t >= top && t < edge + 0.5) {
                    // Body of the lid: the skin of the crease band above the lashes, stretched;
                    // its last lash-width: the photo's own lash line, moved rigidly to the edge.
                    double lash = Math.min(lashWidth, 0.5 * (edge - top));
                    double body = edge - lash, skinEnd = tu - 0.55 * crease * taper;
                    double st = t < body
                            ? top + (t - top) / Math.max(1e-6, body - top) * (skinEnd - top)
                            : tu - lash + (t - body);
                    double alpha = Math.min(1, edge + 0.5 - t);
                    double shade = 1 - 0.06 * (t - top) / Math.max(1e-6, edge - top);
                    double feather = Math.min(1, (t - top) / Math.max(1e-6, 0.4 * (body - top))) * taper * taper;
                    if (t < body) {
                        // averaged over a little height: the band's stray lashes must not streak the lid
                        double spread = 0.15 * crease;
                        putAveraged(
                                out,
                                i,
                                axes,
                                s,
                                st,
                                Math.min(skinEnd, st + spread) - st,
                                spread,
                                alpha,
                                shade,
                                feather);
                    } else put(out, i, axes.x(s, st), axes.y(s, st), alpha, shade, 0);
                    if (t >= body) darken(out, i, lashTone, 0.35 * alpha * taper);
                } else if (t > rise - 0.5 && t <= bottom) {
                    double k = (bottom - tl) / Math.max(1e-6, bottom - rise);
                    double st = bottom - (bottom - t) * k;
                    put(
                            out,
                            i,
                            axes.x(s, st),
                            axes.y(s, st),
                            Math.min(1, t - rise + 0.5),
                            0.97,
                            0.5 * taper * taper * Math.min(1, (bottom - t) / Math.max(1e-6, 0.5 * (bottom - rise))));
                }
            }
        }
    }

    private static void darken(byte[] out, int i, double[] tone, double a) {
        for (int c = 0; c < 3; c++) {
            double v = out[i + c] & 0xff;
            out[i + c] = (byte) Math.round(v + a * (Math.min(v, tone[c]) - v));
        }
    }

    private void putAveraged(
            byte[] out,
            int i,
            FeatureAxes axes,
            double s,
            double st,
            double down,
            double up,
            double alpha,
            double shade,
            double tone) {
        double[] sum = new double[3];
        for (double dt : new double[] {-up, 0, down}) {
            sample(axes.x(s, st + dt), axes.y(s, st + dt), px);
            for (int c = 0; c < 3; c++) sum[c] += px[c] / 3;
        }
        blend(out, i, sum, alpha, shade, tone);
    }

    /** Blends into pixel {@code i} the shaded photo at (sx, sy), mixed with the lid tone by {@code tone}. */
    private void put(byte[] out, int i, double sx, double sy, double alpha, double shade, double tone) {
        sample(sx, sy, px);
        blend(out, i, px, alpha, shade, tone);
    }

    private void blend(byte[] out, int i, double[] v, double alpha, double shade, double tone) {
        if (alpha <= 0) return;
        for (int c = 0; c < 3; c++) {
            double lid = ((1 - tone) * v[c] + tone * v[c] * retone[c]) * shade;
            double mixed = alpha * lid + (1 - alpha) * (out[i + c] & 0xff);
            out[i + c] = (byte) Math.max(0, Math.min(255, (int) Math.round(mixed)));
        }
    }

    /** Bilinear sample of the frame before painting. */
    private void sample(double sx, double sy, double[] into) {
        for (int c = 0; c < 3; c++) into[c] = FeatureAxes.sample(base, width, height, sx, sy, c);
    }
}
