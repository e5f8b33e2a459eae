package studio.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import studio.nn.Compute;
import studio.weights.SafeTensors;
import studio.weights.WeightSchema;

/**
 * Access to the golden vectors: the folder comes from the system property {@code golden.dir}
 * (default {@code ../shared/golden}), the salt from each file's metadata, so the same tests run
 * against other golden sets. A file the default folder lacks skips its test; when a folder is
 * given explicitly, a missing file fails it, so a golden set cannot pass by being absent.
 */
public final class Golden {
    private Golden() {}

    public static Path dir() {
        return explicit() ? Path.of(System.getProperty("golden.dir")) : Path.of("../shared/golden");
    }

    /** Whether the folder was given ({@code -Dgolden.dir=DIR}) rather than defaulted. */
    static boolean explicit() {
        String d = System.getProperty("golden.dir");
        return d != null && !d.isBlank();
    }

    /** Opens a golden file: absent, the test fails when the folder was given, else it is skipped (never passed). */
    public static SafeTensors open(String relative) {
        return SafeTensors.open(require(relative));
    }

    /** The path of a golden file that must be there (see {@link #open}). */
    public static Path require(String relative) {
        Path p = dir().resolve(relative);
        if (explicit()) assertTrue(Files.isRegularFile(p), "golden file missing from -Dgolden.dir: " + p);
        else Assumptions.assumeTrue(Files.isRegularFile(p), "golden file absent: " + p);
        return p;
    }

    public static String salt(SafeTensors golden) {
        return golden.metadata().getOrDefault("salt", "");
    }

    /** Keys and shapes of one group of a schema.json (e.g. "audio2exp"). */
    public static Map<String, long[]> schema(String relative, String group) {
        return WeightSchema.read(require(relative), group);
    }

    /** The golden README's tolerance: max|java - ref| <= tol * (1 + max|ref|), default tol 1e-3. */
    public static void assertClose(String what, float[] ref, float[] actual) {
        assertClose(what, ref, actual, 1e-3);
    }

    public static void assertClose(String what, float[] ref, float[] actual, double tol) {
        assertTrue(ref.length == actual.length, what + ": length " + actual.length + ", expected " + ref.length);
        double maxRef = 0, maxErr = 0;
        int worst = -1;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            double err = Math.abs(ref[i] - actual[i]);
            if (!(err <= maxErr)) {
                maxErr = err;
                worst = i;
            }
        }
        double bound = tol * (1 + maxRef);
        assertTrue(
                maxErr <= bound,
                String.format(
                        "%s: max error %.3g at %d (ref %.6g, got %.6g) exceeds %.3g",
                        what, maxErr, worst, worst >= 0 ? ref[worst] : 0f, worst >= 0 ? actual[worst] : 0f, bound));
    }

    /**
     * The reduced-precision bound on a vector: cosine similarity to the fp32 reference ≥ minCosine
     * and relative RMS error ≤ maxRms, and not identical (else the reduced path did not run).
     * Reads {@code actual[from, from + n)} against {@code expected[from, from + n)}.
     */
    public static void assertDirection(
            String what, float[] expected, float[] actual, int from, int n, double minCosine, double maxRms) {
        double dot = 0, ee = 0, aa = 0, err = 0;
        for (int i = from; i < from + n; i++) {
            dot += (double) expected[i] * actual[i];
            ee += (double) expected[i] * expected[i];
            aa += (double) actual[i] * actual[i];
            double d = expected[i] - actual[i];
            err += d * d;
        }
        double cosine = dot / Math.sqrt(ee * aa), rel = Math.sqrt(err / ee);
        System.out.printf("%s vs fp32 reference: cosine %.6f, relative RMS %.4f%n", what, cosine, rel);
        assertTrue(cosine >= minCosine, what + ": cosine " + cosine);
        assertTrue(rel <= maxRms, what + ": relative RMS " + rel);
        assertTrue(rel > 0, what + ": identical to fp32, autocast did not run");
    }

    /**
     * {@link #assertDirection(String, float[], float[], int, int, double, double)} over the whole
     * vector with the bound of the reduced precision: fp16 cosine ≥ 0.9999 and RMS ≤ 1%, bf16 (8×
     * coarser rounding) four times looser, cosine ≥ 0.999 and RMS ≤ 4% — see DiffusionHalfGoldenTest.
     */
    public static void assertDirection(String what, float[] expected, float[] actual, Compute.Precision precision) {
        boolean bf16 = precision == Compute.Precision.BF16;
        assertDirection(
                precision.id() + " " + what,
                expected,
                actual,
                0,
                expected.length,
                bf16 ? 0.999 : 0.9999,
                bf16 ? 0.04 : 0.01);
    }

    public static void assertShape(String what, long[] expected, long[] actual) {
        assertArrayEquals(expected, actual, what + " shape");
    }

    /**
     * Where the golden tests run their networks: {@code -Dstudio.device=cuda} (tools/gpu-check.sh)
     * puts them on the GPU, in {@code precision}; the default is the CPU.
     */
    public static Compute compute(Compute.Precision precision) {
        String device = System.getProperty("studio.device", "cpu");
        Compute c = new Compute.Request(device, precision.id()).resolve();
        // a CPU without bf16 units falls back to fp32 for users; the bound is still checked (libtorch emulates bf16)
        return c.precision() == precision ? c : new Compute(c.device(), precision, "golden test");
    }
}
