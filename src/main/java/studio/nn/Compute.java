package studio.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import studio.job.InputException;

/**
 * Where the networks run and in what precision, resolved once per job from the user's
 * {@code --device auto|cpu|cuda[:N]} and {@code --precision auto|fp32|fp16|bf16}.
 *
 * <p>{@code auto} uses CUDA GPU 0 when this build's libtorch is a CUDA build and the driver sees a
 * GPU, else the CPU, and says why. Half precision is autocast, as {@code torch.autocast} does it:
 * convolutions, linear layers and attention products run in fp16 (their weights cast once), every
 * other operation (norms, softmax, grid sampling, the output layers' activations) in fp32, so only
 * the layers that gain from tensor cores lose precision. bf16 is the same with bfloat16 (fp32's
 * range, 8 bits of mantissa). {@code auto} is fp16 on a GPU; on the CPU it is bf16 where the CPU
 * has AMX or AVX512-BF16 and bf16 measured faster ({@link CpuBf16}), else fp32 (libtorch's CPU fp16
 * kernels are slower than fp32).
 *
 * @param why one clause saying how the choice was made, for the CLI line and the app
 */
public record Compute(Device device, Precision precision, String why) {
    /** Which float type the heavy layers compute in. */
    public enum Precision {
        FP32,
        FP16,
        BF16;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The CPU in fp32: tests, tools and the built-in engine's helpers. */
    public static Compute cpu() {
        return new Compute(Device.cpu(), Precision.FP32, "the CPU");
    }

    /** A new base manager on this device (the caller closes it). */
    public NDManager newManager() {
        return TorchEngine.engine().newBaseManager(device);
    }

    /** The autocast scope for this precision on the calling thread. */
    public Autocast.Scope autocast() {
        return Autocast.enter(precision);
    }

    /** "cuda:0" or "cpu". */
    public String deviceId() {
        return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
    }

    /** For the MP4 comment: {@code device=cuda:0 precision=fp16}. */
    public String tag() {
        return "device=" + deviceId() + " precision=" + precision.id();
    }

    /** The CLI's line: {@code cuda:0, fp16 (auto: …)}. */
    public String describe() {
        return deviceId() + ", " + precision.id() + " (" + why + ")";
    }

    /** A key for model caches: networks loaded for one compute are not reused for another. */
    public String key() {
        return deviceId() + "/" + precision.id();
    }

    /** A device that cannot be used here, with the reason as a value (the app words it in the user's language). */
    public static final class Unavailable extends InputException {
        /** Why: this build has no CUDA natives, the driver reports no GPU, or not that many GPUs. */
        public enum Reason {
            NO_CUDA_NATIVES,
            NO_GPU,
            NO_SUCH_GPU
        }

        private final Reason reason;

        Unavailable(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** What the user asked for, checked but not yet resolved (resolving loads libtorch). */
    public record Request(String device, String precision) {
        private static final Pattern DEVICE = Pattern.compile("auto|cpu|cuda(?::(\\d{1,2}))?|gpu");

        public Request {
            device = device == null ? "auto" : device.trim().toLowerCase(Locale.ROOT);
            precision = precision == null ? "auto" : precision.trim().toLowerCase(Locale.ROOT);
            if (!DEVICE.matcher(device).matches())
                throw new InputException("device must be auto, cpu or cuda[:N], got '" + device + "'");
            if (!precision.matches("auto|fp32|fp16|bf16"))
                throw new InputException("precision must be auto, fp32, fp16 or bf16, got '" + precision + "'");
        }

        public static Request auto() {
            return new Request("auto", "auto");
        }

        /** Resolves against this machine's libtorch and GPUs; an impossible request fails with why. */
        public Compute resolve() {
            Engine engine = TorchEngine.engine();
            // DJL loads the CUDA libtorch only when the driver reports a GPU, the bundled CPU one otherwise
            int gpus = engine.hasCapability(StandardCapabilities.CUDA) ? engine.getGpuCount() : 0;
            return resolve(cudaNativesBundled(), gpus, CpuBf16::detect);
        }

        /** Whether this build ships CUDA natives (a DJL native jar whose flavour is {@code cu*}). */
        static boolean cudaNativesBundled() {
            try {
                Enumeration<URL> all = Compute.class.getClassLoader().getResources("native/lib/pytorch.properties");
                while (all.hasMoreElements())
                    try (InputStream in = all.nextElement().openStream()) {
                        Properties p = new Properties();
                        p.load(in);
                        if (p.getProperty("flavor", "").startsWith("cu")) return true;
                    }
            } catch (IOException e) {
                return false;
            }
            return false;
        }

        /**
         * As {@link #resolve()} for a build with or without CUDA natives, the GPUs libtorch can use
         * and this CPU's bf16 answer (asked only when the CPU computes): the fallback rules, testable
         * anywhere.
         */
        Compute resolve(boolean cudaBuild, int gpus, Supplier<CpuBf16> cpuBf16) {
            Device d;
            String why;
            if (device.equals("cpu")) {
                d = Device.cpu();
                why = "asked for";
            } else if (device.equals("auto")) {
                if (cudaBuild && gpus > 0) {
                    d = Device.gpu(0);
                    why = "auto: " + gpus + " CUDA GPU" + (gpus > 1 ? "s" : "") + " found";
                } else {
                    d = Device.cpu();
                    why = cudaBuild
                            ? "auto: this CUDA build found no GPU (is the NVIDIA driver installed?), so the CPU"
                            : "auto: this build has CPU-only natives; see README 'GPU' for the CUDA build";
                }
            } else {
                Matcher m = DEVICE.matcher(device);
                m.matches();
                int index = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
                if (!cudaBuild)
                    throw new Unavailable(
                            Unavailable.Reason.NO_CUDA_NATIVES,
                            "--device " + device
                                    + ": this build has CPU-only natives; build with -Pcuda (README 'GPU') or use"
                                    + " --device cpu");
                if (index >= gpus)
                    throw new Unavailable(
                            gpus == 0 ? Unavailable.Reason.NO_GPU : Unavailable.Reason.NO_SUCH_GPU,
                            "--device " + device + ": "
                                    + (gpus == 0
                                            ? "no CUDA GPU found (is the NVIDIA driver installed?)"
                                            : gpus + " GPU(s) found")
                                    + "; use --device auto or cpu");
                d = Device.gpu(index);
                why = "asked for";
            }
            Precision p;
            switch (precision) {
                case "fp32" -> p = Precision.FP32;
                case "fp16" -> {
                    p = Precision.FP16;
                    if (!d.isGpu()) why += "; fp16 on the CPU is slower than fp32 (for checking only)";
                }
                case "bf16" -> {
                    p = Precision.BF16;
                    if (!d.isGpu()) {
                        CpuBf16 b = cpuBf16.get();
                        if (!b.supported()) p = Precision.FP32;
                        why += "; bf16 asked for" + (b.supported() ? ": " : ", but ") + b.why();
                    }
                }
                default -> {
                    if (d.isGpu()) p = Precision.FP16;
                    else {
                        CpuBf16 b = cpuBf16.get();
                        p = b.usable() ? Precision.BF16 : Precision.FP32;
                        why += "; " + b.why();
                    }
                }
            }
            return new Compute(d, p, why);
        }
    }
}
