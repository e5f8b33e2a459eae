package studio.audio;

import be.tarsos.dsp.util.fft.FloatFFT;

/**
 * SadTalker's (Wav2Lip's) log-mel spectrogram: pre-emphasis 0.97, centred STFT (n_fft 800, hop 200,
 * periodic Hann window, reflect padding), 80 Slaney mel bands 55–7600 Hz on the magnitude,
 * 20·log10 with a −100 dB floor minus 20 dB reference, scaled symmetrically to [−4, 4].
 * The FFT is TarsosDSP's; the rest is the few lines of arithmetic librosa performs.
 */
public final class MelSpectrogram {
    public static final int N_FFT = 800, HOP = 200, BINS = N_FFT / 2 + 1;
    // Slaney mel scale (declared before MEL_BASIS, which is computed from it at class load).
    private static final double F_SP = 200.0 / 3,
            MIN_LOG_HZ = 1000,
            MIN_LOG_MEL = MIN_LOG_HZ / F_SP,
            LOGSTEP = Math.log(6.4) / 27;
    private static final double MIN_LEVEL = Math.pow(10, -100 / 20.0);
    private static final float[] WINDOW = hann(N_FFT);
    private static final float[][] MEL_BASIS =
            melBasis(AudioFeatures.SAMPLE_RATE, N_FFT, AudioFeatures.MEL_BINS, 55, 7600);

    private MelSpectrogram() {}

    /** Row-major T x 80 spectrogram of 16 kHz samples, T = samples / 200 + 1. */
    public static float[] compute(float[] wav) {
        int n = wav.length;
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = wav[i] - (i > 0 ? 0.97f * wav[i - 1] : 0f);
        int frames = 1 + n / HOP;
        int pad = N_FFT / 2;
        FloatFFT fft = new FloatFFT(N_FFT);
        float[] buf = new float[N_FFT];
        double[] mag = new double[BINS];
        float[] out = new float[frames * AudioFeatures.MEL_BINS];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < N_FFT; k++) buf[k] = reflect(y, t * HOP + k - pad) * WINDOW[k];
            fft.realForward(buf);
            mag[0] = Math.abs(buf[0]);
            mag[BINS - 1] = Math.abs(buf[1]);
            for (int k = 1; k < BINS - 1; k++) mag[k] = Math.hypot(buf[2 * k], buf[2 * k + 1]);
            for (int m = 0; m < AudioFeatures.MEL_BINS; m++) {
                double s = 0;
                float[] w = MEL_BASIS[m];
                for (int k = 0; k < BINS; k++) s += w[k] * mag[k];
                double db = 20 * Math.log10(Math.max(MIN_LEVEL, s)) - 20;
                double v = 8 * ((db + 100) / 100) - 4;
                out[t * AudioFeatures.MEL_BINS + m] = (float) Math.max(-4, Math.min(4, v));
            }
        }
        return out;
    }

    /** numpy 'reflect' padding (the edge sample is not repeated). */
    private static float reflect(float[] y, int i) {
        int n = y.length;
        if (n == 1) return y[0];
        int period = 2 * (n - 1);
        i = Math.floorMod(i, period);
        return y[i < n ? i : period - i];
    }

    private static float[] hann(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        return w;
    }

    /** librosa.filters.mel(htk=False, norm='slaney'). */
    static float[][] melBasis(int sr, int nFft, int nMels, double fmin, double fmax) {
        int bins = nFft / 2 + 1;
        double[] melF = new double[nMels + 2];
        double lo = hzToMel(fmin), hi = hzToMel(fmax);
        for (int i = 0; i < melF.length; i++) melF[i] = melToHz(lo + (hi - lo) * i / (nMels + 1));
        float[][] w = new float[nMels][bins];
        for (int m = 0; m < nMels; m++) {
            double enorm = 2.0 / (melF[m + 2] - melF[m]);
            for (int k = 0; k < bins; k++) {
                double f = (double) sr / 2 * k / (bins - 1);
                double lower = (f - melF[m]) / (melF[m + 1] - melF[m]);
                double upper = (melF[m + 2] - f) / (melF[m + 2] - melF[m + 1]);
                w[m][k] = (float) (Math.max(0, Math.min(lower, upper)) * enorm);
            }
        }
        return w;
    }

    static double hzToMel(double hz) {
        return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
    }

    static double melToHz(double mel) {
        return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
    }
}
