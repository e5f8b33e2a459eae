package studio.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import studio.diffusion.LatentNoise;
import studio.diffusion.PngParameters;
import studio.diffusion.PortraitGenerator.Settings;
import studio.job.Cancellation;
import studio.job.CancelledException;
import studio.job.InputException;
import studio.job.JobContext;
import studio.job.OutputFile;
import studio.job.Progress;
import studio.job.ProgressListener;
import studio.job.StudioException;
import studio.nn.Compute;
import studio.pipeline.PortraitJob;

/** {@code portrait}: generates a portrait with a Stable Diffusion 1.x checkpoint (txt2img), A1111 options. */
@Command(
        name = "portrait",
        mixinStandardHelpOptions = true,
        description = "Generate a portrait image with a Stable Diffusion 1.x checkpoint (.safetensors).")
public final class PortraitCommand implements Callable<Integer> {
    @Option(
            names = "--prompt",
            required = true,
            description = "What to draw; A1111 emphasis (word:1.2), (word), [word], BREAK.")
    String prompt;

    @Option(
            names = {"--negative-prompt", "-n"},
            description = "What to avoid.")
    String negativePrompt;

    @Option(
            names = {"-o", "--output"},
            required = true,
            description = "PNG file to write (with a 'parameters' text chunk).")
    Path output;

    @Option(
            names = {"-m", "--model"},
            description = "SD 1.x single-file checkpoint (.safetensors, fp32/fp16/bf16) or diffusers model folder.")
    Path model;

    @Option(
            names = "--preset",
            description =
                    "'portrait': frontal head-and-shoulders on a plain background, 512x512; --prompt is the subject.")
    String preset;

    @Option(names = "--seed", description = "Seed; the same seed and settings give the same image (default: random).")
    Long seed;

    @Option(names = "--steps", description = "Sampling steps (default ${DEFAULT-VALUE}).", defaultValue = "20")
    int steps;

    @Option(
            names = "--cfg-scale",
            description = "Classifier-free guidance scale (default ${DEFAULT-VALUE}).",
            defaultValue = "7")
    double cfgScale;

    @Option(
            names = {"-W", "--width"},
            description = "Width, a multiple of 8 (default ${DEFAULT-VALUE}).",
            defaultValue = "512")
    int width;

    @Option(
            names = {"-H", "--height"},
            description = "Height, a multiple of 8 (default ${DEFAULT-VALUE}).",
            defaultValue = "512")
    int height;

    @Option(
            names = "--sampler",
            description = "Euler, Euler a, DPM++ 2M Karras, DDIM, PLMS, LMS, UniPC (default ${DEFAULT-VALUE}).",
            defaultValue = "Euler a")
    String sampler;

    @Option(
            names = "--clip-skip",
            description = "CLIP layers to skip from the end, A1111 style (default ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int clipSkip;

    @Option(
            names = "--rng",
            defaultValue = "nv",
            paramLabel = "SOURCE",
            description =
                    "Random number source, A1111's setting: nv (the default; GPU users' pictures for the same seed, "
                            + "also with Euler a under A1111's NV), gpu (same as nv), cpu (A1111's CPU source).")
    String rng;

    @Option(
            names = "--init-image",
            paramLabel = "IMAGE",
            description = "img2img: start from this picture (resized to the output size) instead of pure noise.")
    Path initImage;

    @Option(
            names = "--denoising-strength",
            defaultValue = "0.75",
            description =
                    "img2img: how much of the start picture is repainted, 0 (none) to 1 (all) (default: ${DEFAULT-VALUE}).")
    double denoisingStrength;

    @Option(
            names = "--mask",
            paramLabel = "IMAGE",
            description = "Inpainting (with --init-image): white areas are repainted, black areas kept.")
    Path mask;

    @Option(
            names = {"--batch-count", "--n-iter"},
            defaultValue = "1",
            description =
                    "Images to make, A1111's batch count: seeds seed, seed+1, ...; OUT-1.png, OUT-2.png, ... (default ${DEFAULT-VALUE}).")
    int batchCount;

    @Option(
            names = "--lora-dir",
            description = "Folder of LoRA files for <lora:name:weight> prompt tags (name.safetensors).")
    Path loraDir;

    @Option(
            names = "--device",
            paramLabel = "auto|cpu|cuda[:N]",
            defaultValue = "auto",
            description = "Where the networks run (default: ${DEFAULT-VALUE}: a CUDA GPU when there is one).")
    String device;

    @Option(
            names = "--precision",
            paramLabel = "auto|fp32|fp16|bf16",
            defaultValue = "auto",
            description = "Text encoder and UNet precision (default: ${DEFAULT-VALUE}: fp16 on a GPU; on the CPU bf16"
                    + " where it has AMX or AVX512-BF16 and it measured faster, else fp32); the VAE is fp32, or bf16"
                    + " under bf16.")
    String precision;

    private final Cancellation cancellation = new Cancellation();

    @Override
    public Integer call() {
        Settings s;
        LatentNoise.Source noise = LatentNoise.Source.parse(rng);
        long theSeed = seed != null ? seed : new Random().nextLong() & 0xffffffffL;
        if ("portrait".equalsIgnoreCase(preset)) {
            Settings p = Settings.portrait(prompt, theSeed);
            s = new Settings(
                    p.prompt(),
                    negativePrompt != null ? negativePrompt : p.negativePrompt(),
                    theSeed,
                    p.steps(),
                    p.cfgScale(),
                    p.width(),
                    p.height(),
                    p.sampler(),
                    clipSkip,
                    noise);
        } else if (preset != null) {
            throw new InputException("unknown preset '" + preset + "' (known: portrait)");
        } else {
            s = new Settings(prompt, negativePrompt, theSeed, steps, cfgScale, width, height, sampler, clipSkip, noise);
        }
        if (batchCount < 1 || batchCount > 100)
            throw new InputException("batch count must be 1..100, got " + batchCount);
        if (!output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
            throw new InputException(output, "output must be a .png file");
        if (model == null) throw new InputException("no model: pass --model path/to/checkpoint.safetensors");
        PortraitJob.Request request = new PortraitJob.Request(
                model, loraDir, s, initImage, denoisingStrength, mask, new Compute.Request(device, precision));
        for (int i = 0; i < batchCount; i++)
            OutputFile.check(batchCount == 1 ? output : numbered(output, i + 1), request.inputs()); // before minutes
        try (CancelOnSignal signals = new CancelOnSignal(cancellation)) {
            JobContext job = new JobContext(
                    new ProgressListener() {
                        @Override
                        public void onProgress(Progress p) {
                            System.err.print("\r" + p.describe() + "   ");
                        }

                        @Override
                        public void onWarning(String message) {
                            System.err.println("portrait: " + message);
                        }
                    },
                    cancellation);
            for (int i = 0; i < batchCount; i++) {
                Path out = batchCount == 1 ? output : numbered(output, i + 1);
                PortraitJob.Result r = PortraitJob.generate(request.withSeed(s.seed() + i), job);
                System.err.println();
                if (i == 0) System.err.println("portrait: device " + r.device());
                PngParameters.write(r.image(), r.infotext(), out, request.inputs());
                System.out.println(out);
            }
            return 0;
        }
    }

    /** face.png → face-2.png */
    static Path numbered(Path png, int n) {
        String name = png.getFileName().toString();
        return png.resolveSibling(name.substring(0, name.length() - 4) + "-" + n + ".png");
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new PortraitCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof StudioException) {
                cmd.getErr().println("portrait: " + e.getMessage());
                return 2;
            }
            if (e instanceof CancelledException) {
                cmd.getErr().println("portrait: cancelled");
                return 130;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}
