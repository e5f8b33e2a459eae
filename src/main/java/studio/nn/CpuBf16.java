package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether bf16 pays on this CPU: it must compute bf16 natively (AMX or AVX512-BF16, read from the
 * kernel's CPU flags; elsewhere libtorch emulates bf16, slower than fp32), and a short measurement
 * on this machine must find a bf16 convolution faster than the fp32 one. Measured once per
 * process, in about 50 ms, only when a job's networks run on the CPU.
 *
 * <p>{@code STUDIO_CPU_BF16=off} (or {@code -Dstudio.cpu.bf16=off}) switches bf16 off as if the
 * CPU had none, to compare or to check the fallback.
 *
 * @param supported whether the CPU computes bf16 natively (an explicit bf16 is honoured)
 * @param usable    whether {@code auto} should pick bf16
 * @param why    the clause for the CLI line and the app
 */
public record CpuBf16(boolean supported, boolean usable, String why) {
    private static volatile CpuBf16 detected;

    /** This machine's answer (measured on first call). */
    public static CpuBf16 detect() {
        CpuBf16 d = detected;
        if (d == null)
            synchronized (CpuBf16.class) {
                if (detected == null) detected = measure(switchedOff(), cpuFlags());
                d = detected;
            }
        return d;
    }

    private static boolean switchedOff() {
        String v = System.getProperty("studio.cpu.bf16", System.getenv("STUDIO_CPU_BF16"));
        return v != null && v.trim().toLowerCase(Locale.ROOT).matches("off|0|false|no");
    }

    /** The flags line of /proc/cpuinfo, or null where there is none (not Linux). */
    private static String cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("flags")) return " " + line.substring(line.indexOf(':') + 1) + " ";
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The answer for these CPU flags (null: unknown, then the measurement decides alone). */
    static CpuBf16 measure(boolean off, String flags) {
        if (off) return new CpuBf16(false, false, "bf16 switched off (STUDIO_CPU_BF16=off), so fp32");
        String unit = flags == null
                ? null
                : flags.contains(" amx_bf16 ") ? "AMX" : flags.contains(" avx512_bf16 ") ? "AVX512-BF16" : "";
        if ("".equals(unit)) return new CpuBf16(false, false, "this CPU has neither AMX nor AVX512-BF16, so fp32");
        double speedup = speedup();
        String has = unit == null ? "bf16" : "this CPU has " + unit + ";";
        if (speedup < 1.2)
            return new CpuBf16(
                    unit != null,
                    false,
                    String.format(Locale.ROOT, "%s bf16 measured %.1f× fp32's speed here, so fp32", has, speedup));
        return new CpuBf16(
                unit != null,
                true,
                String.format(Locale.ROOT, "%s bf16 measured %.1f× faster than fp32", has, speedup));
    }

    /**
     * fp32 time / bf16 time of a 128-channel 3×3 convolution on 2 × 64 × 64, the size of the
     * renderers' layers (a smaller one measured mostly call overhead and flipped between runs), best
     * of five after two warm-ups, the two precisions taking turns so a neighbour's load hits both.
     */
    private static double speedup() {
        try (NDManager m = TorchEngine.engine().newBaseManager()) {
            NDArray x = m.randomUniform(-1, 1, new Shape(2, 128, 64, 64));
            Conv conv = new Conv(
                    m.randomUniform(-0.05f, 0.05f, new Shape(128, 128, 3, 3)), m.zeros(new Shape(128)), 1, 1, 1, 1);
            long fp32 = Long.MAX_VALUE, bf16 = Long.MAX_VALUE;
            for (int i = 0; i < 7; i++) {
                long f = time(conv, x, Compute.Precision.FP32), b = time(conv, x, Compute.Precision.BF16);
                if (i >= 2) {
                    fp32 = Math.min(fp32, f);
                    bf16 = Math.min(bf16, b);
                }
            }
            return (double) fp32 / Math.max(1, bf16);
        } catch (RuntimeException e) {
            return 0; // a libtorch without bf16 kernels: fp32
        }
    }

    private static long time(Conv conv, NDArray x, Compute.Precision p) {
        try (Autocast.Scope s = Autocast.enter(p)) {
            long t0 = System.nanoTime();
            try (NDArray y = conv.apply(x)) {
                y.getFloat(0, 0, 0, 0); // waits for the result
            }
            return System.nanoTime() - t0;
        }
    }
}
