package studio.diffusion;

/**
 * torch.randn on CUDA, on the CPU: Philox 4×32 with 10 rounds keyed by the seed, counter
 * (call, 0, element, 0), the first two words turned into one normal value by Box–Muller, as
 * AUTOMATIC1111's "NV" generator computes it (double precision, rounded to float). Each call to
 * {@link #next} is one torch.randn call (the counter's first word counts the calls).
 *
 * <p>Hand-written: no Java library reproduces torch's CUDA generator.
 */
final class PhiloxNoise implements LatentNoise {
    private static final long M0 = 0xD2511F53L, M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    /** 2^-32 and 2π·2^-32, as the float32 constants the reference multiplies by. */
    private static final double TWO_POW32_INV = (float) 2.3283064e-10,
            TWO_POW32_INV_2PI = (float) (2.3283064e-10 * 6.2831855);

    private final int key0, key1;
    private int offset;

    PhiloxNoise(long seed) {
        this.key0 = (int) seed;
        this.key1 = (int) (seed >>> 32);
    }

    @Override
    public float[] next(int n) {
        float[] out = new float[n];
        int[] c = new int[4];
        for (int i = 0; i < n; i++) {
            c[0] = offset;
            c[1] = 0;
            c[2] = i;
            c[3] = 0;
            philox(c, key0, key1);
            double u = Integer.toUnsignedLong(c[0]) * TWO_POW32_INV + TWO_POW32_INV / 2;
            double v = Integer.toUnsignedLong(c[1]) * TWO_POW32_INV_2PI + TWO_POW32_INV_2PI / 2;
            out[i] = (float) (Math.sqrt(-2.0 * Math.log(u)) * Math.sin(v));
        }
        offset++;
        return out;
    }

    /** Philox 4×32-10: ten rounds, the key bumped by the Weyl constants between them. */
    static void philox(int[] c, int k0, int k1) {
        for (int r = 0; r < 10; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = Integer.toUnsignedLong(c[0]) * M0, p1 = Integer.toUnsignedLong(c[2]) * M1;
            int c1 = c[1], c3 = c[3];
            c[0] = (int) (p1 >>> 32) ^ c1 ^ k0;
            c[1] = (int) p1;
            c[2] = (int) (p0 >>> 32) ^ c3 ^ k1;
            c[3] = (int) p0;
        }
    }
}
