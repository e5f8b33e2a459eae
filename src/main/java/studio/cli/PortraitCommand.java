package studio.cli;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import studio.diffusion.LatentNoise;
import studio.diffusion.Lora;
import studio.diffusion.PngParameters;
import studio.diffusion.PortraitGenerator;
import studio.diffusion.PortraitGenerator.Settings;
import studio.diffusion.Sd15Checkpoint;
import studio.face.Portrait;
import studio.job.Cancellation;
import studio.job.CancelledException;
import studio.job.InputException;
import studio.job.JobContext;
import studio.job.OutputFile;
import studio.job.StudioException;
import studio.nn.Compute;
import studio.weights.StateDict;

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

    /** Loaded models are kept for later generations in the same process (the studio regenerates without reloading). */
    private static PortraitGenerator cached;

    private static String cachedSource;

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
        if (mask != null && initImage == null)
            throw new InputException(mask, "a mask needs --init-image (the picture to inpaint)");
        List<Path> inputs = new ArrayList<>();
        for (Path p : new Path[] {model, initImage, mask}) if (p != null) inputs.add(p);
        for (int i = 0; i < batchCount; i++)
            OutputFile.check(batchCount == 1 ? output : numbered(output, i + 1), inputs); // before minutes of work
        PortraitGenerator.ImageInput start = initImage == null
                ? null
                : new PortraitGenerator.ImageInput(
                        Portrait.load(initImage), denoisingStrength, mask == null ? null : Portrait.load(mask));
        Compute compute = new Compute.Request(device, precision).resolve();
        PortraitGenerator gen = generator(compute);
        System.err.println("portrait: device " + compute.describe());
        try (CancelOnSignal signals = new CancelOnSignal(cancellation)) {
            JobContext job = new JobContext(p -> System.err.print("\r" + p.describe() + "   "), cancellation);
            for (int i = 0; i < batchCount; i++) {
                Settings one = s.withSeed(s.seed() + i);
                Path out = batchCount == 1 ? output : numbered(output, i + 1);
                BufferedImage img = gen.generate(one, start, job);
                System.err.println();
                String info = one.infotext(gen.modelName());
                if (start != null) info += ", Denoising strength: " + denoisingStrength; // as A1111's img2img infotext
                PngParameters.write(img, info, out, inputs);
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

    private PortraitGenerator generator(Compute compute) {
        String source;
        if (model != null) source = model.toAbsolutePath().toString();
        else throw new InputException("no model: pass --model path/to/checkpoint.safetensors");
        // LoRAs are merged into the weights at load, so they are part of what the cached model is.
        List<Lora.Use> loras = new ArrayList<>();
        for (var u : Lora.tags(prompt)) {
            Lora.resolve(loraDir, u.name());
            if (u.multiplier() != 0) loras.add(u);
        }
        source += " " + loras + " " + compute.key();
        synchronized (PortraitCommand.class) {
            if (source.equals(cachedSource)) return cached;
            if (cached != null) cached.close();
            cached = null;
            cachedSource = null;
            String name;
            StateDict dict;
            dict = Sd15Checkpoint.open(model);
            String f = model.getFileName().toString();
            name = f.contains(".") ? f.substring(0, f.lastIndexOf('.')) : f;
            List<StateDict> loraFiles = Lora.open(loraDir, loras);
            try (dict) {
                StateDict merged = dict;
                if (!loras.isEmpty()) {
                    Set<String> unmatched = new TreeSet<>();
                    merged = Lora.apply(
                            dict,
                            loraFiles,
                            loras.stream().map(Lora.Use::multiplier).toList(),
                            unmatched);
                    if (!unmatched.isEmpty())
                        System.err.println("portrait: " + unmatched.size()
                                + " LoRA modules not applied (unsupported layers), e.g. "
                                + unmatched.iterator().next());
                }
                cached = PortraitGenerator.load(merged, name, compute);
            } finally {
                for (StateDict l : loraFiles) l.close();
            }
            cachedSource = source;
            return cached;
        }
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
