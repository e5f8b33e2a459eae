package studio.motion;

import be.tarsos.dsp.pitch.Yin;
import be.tarsos.dsp.util.fft.FFT;
import be.tarsos.dsp.util.fft.HannWindow;
import java.util.Arrays;
import org.apache.commons.math3.analysis.solvers.LaguerreSolver;
import org.apache.commons.math3.complex.Complex;
import studio.audio.AudioFeatures;

/**
 * Per-frame audio descriptors that drive the built-in engine, language-independent (no phoneme
 * model): loudness relative to the clip's own speech level; the first two formants by LPC (F1
 * tracks jaw opening, F2 lip rounding versus spreading, whatever the language); the voice's pitch
 * (TarsosDSP's YIN) for the head's prosody; hiss (fricatives); and lip closures — short stretches
 * where the oral band (400-3500 Hz) drops far below the syllables around it while no hiss fills
 * it, as in the closure of p, b and m (silence, voice bar or nasal murmur).
 *
 * <p>LPC and the closure detector are written by hand: TarsosDSP has FFT and pitch but no
 * linear prediction; the polynomial's roots come from Commons Math's Laguerre solver.
 */
public final class LandmarkMotionAudio {
    private static final int WINDOW = 1024;
    /** LPC: 32 ms frames, order 18 at 16 kHz (two poles per kHz plus two). */
    private static final int LPC_WINDOW = 512, LPC_ORDER = 18;
    /** Closure detector: 20 ms windows every 5 ms. */
    private static final int HOP = 80, SHORT = 320;

    /** Loudness 0..~1.3 per frame: 0 below the silence floor, 1 at the clip's typical speech peak. */
    public final double[] level;
    /** Energy share 0..1 of 150-900 Hz (F1: jaw opening vowels) in the speech band. */
    public final double[] lowShare;
    /** Energy share 0..1 of 1.5-3.5 kHz (F2 of front vowels: spread lips). */
    public final double[] frontShare;
    /** Energy share 0..1 above 3.5 kHz (fricatives, nearly closed lips). */
    public final double[] hissShare;
    /** Spectral centroid of 150-3500 Hz, normalised to 0..1 over that band (low = rounded vowels). */
    public final double[] centroid;
    /** First and second formant in Hz, NaN where the frame is not voiced speech. */
    public final double[] f1, f2;
    /** Voice pitch in Hz, NaN where unvoiced. */
    public final double[] f0;
    /** Fraction 0..1 of the frame in which the lips are closed (stop or nasal closure). */
    public final double[] closure;

    private LandmarkMotionAudio(int n) {
        level = new double[n];
        lowShare = new double[n];
        frontShare = new double[n];
        hissShare = new double[n];
        centroid = new double[n];
        f1 = new double[n];
        f2 = new double[n];
        f0 = new double[n];
        closure = new double[n];
    }

    public static LandmarkMotionAudio analyse(AudioFeatures audio) {
        int n = audio.numFrames();
        LandmarkMotionAudio a = new LandmarkMotionAudio(n);
        double[] rms = new double[n];
        for (int i = 0; i < n; i++) rms[i] = audio.frameRms(i);

        // Speech level = 95th percentile of frame RMS; floor = 6 % of it (about -24 dB), and never
        // below -70 dBFS so digital silence and faint noise count as silence.
        double peak = percentile(rms, 0.95);
        double floor = Math.max(peak * 0.06, 3e-4);
        double span = Math.max(peak - floor, 1e-6);
        for (int i = 0; i < n; i++) a.level[i] = Math.min(1.3, Math.max(0, (rms[i] - floor) / span));

        float[] samples = audio.samples();
        spectrum(a, samples, n);
        Yin yin = new Yin(AudioFeatures.SAMPLE_RATE, WINDOW);
        float[] buf = new float[WINDOW];
        for (int i = 0; i < n; i++) {
            centred(samples, i, buf);
            var pitch = yin.getPitch(buf);
            boolean voiced = a.level[i] > 0.08 && pitch.isPitched() && pitch.getPitch() > 60 && pitch.getPitch() < 500;
            a.f0[i] = voiced ? pitch.getPitch() : Double.NaN;
            double[] formants = voiced || a.level[i] > 0.25 ? formants(samples, i) : null;
            a.f1[i] = formants != null ? formants[0] : Double.NaN;
            a.f2[i] = formants != null ? formants[1] : Double.NaN;
        }
        closures(a, samples, n, floor);
        return a;
    }

    /** The {@code buf.length} samples centred on video frame {@code i}, zero outside the clip. */
    private static void centred(float[] samples, int i, float[] buf) {
        int centre = i * AudioFeatures.SAMPLES_PER_FRAME + AudioFeatures.SAMPLES_PER_FRAME / 2;
        int start = centre - buf.length / 2;
        for (int j = 0; j < buf.length; j++) {
            int s = start + j;
            buf[j] = s >= 0 && s < samples.length ? samples[s] : 0f;
        }
    }

    /** Band shares and centroid on a 64 ms Hann window (TarsosDSP's FFT) per frame. */
    private static void spectrum(LandmarkMotionAudio a, float[] samples, int n) {
        FFT fft = new FFT(WINDOW, new HannWindow());
        float[] buf = new float[WINDOW];
        float[] mag = new float[WINDOW / 2];
        double hz = AudioFeatures.SAMPLE_RATE / (double) WINDOW;
        for (int i = 0; i < n; i++) {
            centred(samples, i, buf);
            fft.forwardTransform(buf);
            fft.modulus(buf, mag);
            double low = 0, mid = 0, front = 0, hiss = 0, weighted = 0, voiced = 0;
            for (int k = 1; k < mag.length; k++) {
                double f = k * hz;
                double p = (double) mag[k] * mag[k];
                if (f >= 150 && f < 900) low += p;
                else if (f >= 900 && f < 1500) mid += p;
                else if (f >= 1500 && f < 3500) front += p;
                else if (f >= 3500 && f < 7800) hiss += p;
                if (f >= 150 && f < 3500) {
                    weighted += p * f;
                    voiced += p;
                }
            }
            double total = low + mid + front + hiss;
            if (total > 0) {
                a.lowShare[i] = low / total;
                a.frontShare[i] = front / total;
                a.hissShare[i] = hiss / total;
            }
            a.centroid[i] = voiced > 0 ? (weighted / voiced - 150) / (3500 - 150) : 0.5;
        }
    }

    /**
     * F1 and F2 of frame {@code i}: LPC (autocorrelation, Levinson-Durbin) of the pre-emphasised,
     * Hamming-windowed 32 ms around the frame; formants are the angles of the prediction
     * polynomial's roots with narrow bandwidth (under 400 Hz), above 200 Hz. Null when no pair is found.
     */
    static double[] formants(float[] samples, int i) {
        float[] raw = new float[LPC_WINDOW + 1];
        centred(samples, i, raw);
        double[] x = new double[LPC_WINDOW];
        for (int j = 0; j < LPC_WINDOW; j++) {
            double w = 0.54 - 0.46 * Math.cos(2 * Math.PI * j / (LPC_WINDOW - 1));
            x[j] = w * (raw[j + 1] - 0.97 * raw[j]);
        }
        double[] r = new double[LPC_ORDER + 1];
        for (int lag = 0; lag <= LPC_ORDER; lag++) {
            double s = 0;
            for (int j = lag; j < LPC_WINDOW; j++) s += x[j] * x[j - lag];
            r[lag] = s;
        }
        if (!(r[0] > 1e-9)) return null;
        r[0] *= 1 + 1e-6; // a little white noise keeps the recursion stable
        double[] lpc = levinson(r);
        if (lpc == null) return null;
        // A(z) = 1 + a1 z^-1 + ... + ap z^-p; times z^p, in ascending powers for the solver.
        double[] poly = new double[LPC_ORDER + 1];
        for (int k = 0; k <= LPC_ORDER; k++) poly[k] = lpc[LPC_ORDER - k];
        Complex[] roots;
        try {
            roots = new LaguerreSolver(1e-9).solveAllComplex(poly, 0.5, 2000);
        } catch (RuntimeException e) { // no convergence: this frame has no formant estimate
            return null;
        }
        double[] freqs = new double[roots.length];
        int m = 0;
        for (Complex z : roots) {
            if (z.getImaginary() <= 0) continue;
            double f = Math.atan2(z.getImaginary(), z.getReal()) * AudioFeatures.SAMPLE_RATE / (2 * Math.PI);
            double bw = -Math.log(z.abs()) * AudioFeatures.SAMPLE_RATE / Math.PI;
            if (f > 200 && f < 4000 && bw < 400) freqs[m++] = f;
        }
        if (m < 2) return null;
        Arrays.sort(freqs, 0, m);
        return new double[] {freqs[0], freqs[1]};
    }

    /** Levinson-Durbin: prediction coefficients a0 = 1, a1..ap from the autocorrelation; null if unstable. */
    private static double[] levinson(double[] r) {
        int p = r.length - 1;
        double[] a = new double[p + 1], tmp = new double[p + 1];
        a[0] = 1;
        double err = r[0];
        for (int k = 1; k <= p; k++) {
            double acc = r[k];
            for (int j = 1; j < k; j++) acc += a[j] * r[k - j];
            double refl = -acc / err;
            if (!(Math.abs(refl) < 1)) return null;
            System.arraycopy(a, 0, tmp, 0, k);
            for (int j = 1; j < k; j++) a[j] = tmp[j] + refl * tmp[k - j];
            a[k] = refl;
            err *= 1 - refl * refl;
        }
        return a;
    }

    /**
     * Lip closures at 5 ms resolution: a 20 ms window is closed when its oral-band energy is 14 dB
     * or more below the loudest window within 150 ms on either side and hiss does not dominate it
     * (an "s" or "f" is quiet in that band too, but the lips stay apart), or when it is silent
     * between speech. A frame's closure is the fraction of its windows that are closed.
     */
    private static void closures(LandmarkMotionAudio a, float[] samples, int n, double floorRms) {
        int hops = Math.max(0, (samples.length - SHORT) / HOP + 1);
        double[] oral = new double[hops], hiss = new double[hops], rms = new double[hops];
        FFT fft = new FFT(512, new HannWindow());
        float[] buf = new float[512], mag = new float[256];
        double hz = AudioFeatures.SAMPLE_RATE / 512.0;
        for (int h = 0; h < hops; h++) {
            Arrays.fill(buf, 0f);
            System.arraycopy(samples, h * HOP, buf, (512 - SHORT) / 2, SHORT);
            for (int j = 0; j < SHORT; j++) rms[h] += samples[h * HOP + j] * samples[h * HOP + j] / (double) SHORT;
            fft.forwardTransform(buf);
            fft.modulus(buf, mag);
            for (int k = 1; k < mag.length; k++) {
                double f = k * hz, p = (double) mag[k] * mag[k];
                if (f >= 400 && f < 3500) oral[h] += p;
                else if (f >= 3500) hiss[h] += p;
            }
        }
        int reach = 30; // 150 ms
        boolean[] closed = new boolean[hops];
        for (int h = 0; h < hops; h++) {
            double before = 0, after = 0;
            for (int j = Math.max(0, h - reach); j < h; j++) before = Math.max(before, oral[j]);
            for (int j = h + 1; j <= Math.min(hops - 1, h + reach); j++) after = Math.max(after, oral[j]);
            double around = Math.min(before, after); // speech on both sides: a closure, not the clip's end
            boolean deep = oral[h] < 0.04 * around;
            boolean hissy = hiss[h] > 1.5 * oral[h] && hiss[h] > 0.01 * around;
            closed[h] = (deep && !hissy) || (rms[h] < floorRms * floorRms);
        }
        for (int i = 0; i < n; i++) {
            int first = i * AudioFeatures.SAMPLES_PER_FRAME / HOP, count = 0, shut = 0;
            for (int h = first; h < first + AudioFeatures.SAMPLES_PER_FRAME / HOP && h < hops; h++, count++)
                if (closed[h]) shut++;
            a.closure[i] = count == 0 ? 1 : shut / (double) count;
        }
    }

    static double percentile(double[] v, double q) {
        if (v.length == 0) return 0;
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
    }
}
