package studio.motion;

import be.tarsos.dsp.util.fft.FFT;
import be.tarsos.dsp.util.fft.HannWindow;
import java.util.Arrays;
import studio.audio.AudioFeatures;

/**
 * Per-frame audio descriptors that drive the lips: loudness relative to the clip's own speech
 * level, and the share of spectral energy in the first-formant band (open vowels) versus the
 * second-formant and fricative bands (spread vowels, "s"/"f"). Computed from the 16 kHz samples
 * with TarsosDSP's FFT on a 64 ms Hann window centred on each video frame.
 */
public final class LandmarkMotionAudio {
    private static final int WINDOW = 1024;

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

    private LandmarkMotionAudio(int n) {
        level = new double[n];
        lowShare = new double[n];
        frontShare = new double[n];
        hissShare = new double[n];
        centroid = new double[n];
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

        FFT fft = new FFT(WINDOW, new HannWindow());
        float[] buf = new float[WINDOW];
        float[] mag = new float[WINDOW / 2];
        float[] samples = audio.samples();
        double hz = AudioFeatures.SAMPLE_RATE / (double) WINDOW;
        for (int i = 0; i < n; i++) {
            int centre = i * AudioFeatures.SAMPLES_PER_FRAME + AudioFeatures.SAMPLES_PER_FRAME / 2;
            int start = centre - WINDOW / 2;
            for (int j = 0; j < WINDOW; j++) {
                int s = start + j;
                buf[j] = s >= 0 && s < samples.length ? samples[s] : 0f;
            }
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
        return a;
    }

    static double percentile(double[] v, double q) {
        if (v.length == 0) return 0;
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
    }
}
