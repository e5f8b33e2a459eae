package studio.pipeline;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import studio.diffusion.Lora;
import studio.diffusion.PortraitGenerator;
import studio.diffusion.PortraitGenerator.Settings;
import studio.diffusion.Sd15Checkpoint;
import studio.face.Portrait;
import studio.job.InputException;
import studio.job.JobContext;
import studio.nn.Compute;
import studio.weights.StateDict;

/**
 * One portrait generation as both the CLI's {@code portrait} and the studio's Generate window run it:
 * txt2img, img2img (a start picture and A1111's denoising strength) or inpainting (plus a mask),
 * {@code <lora:name:weight>} tags merged into the weights, on the device asked for. The loaded model
 * (with its LoRAs) is kept for the next request with the same checkpoint, LoRAs and device, because
 * loading takes longer than a generation.
 */
public final class PortraitJob {
    /**
     * What to generate.
     *
     * @param model a Stable Diffusion 1.x checkpoint (.safetensors, .ckpt) or diffusers folder
     * @param loraDir where {@code <lora:name>} tags are looked up ({@code name.safetensors}); null when none
     * @param initImage img2img: the start picture (null for txt2img)
     * @param denoisingStrength img2img: how much of the start picture is repainted, 0..1
     * @param mask inpainting (with a start picture): white is repainted, black kept; null for none
     */
    public record Request(
            Path model,
            Path loraDir,
            Settings settings,
            Path initImage,
            double denoisingStrength,
            Path mask,
            Compute.Request compute) {
        public Request {
            if (model == null) throw new InputException("no model: choose a Stable Diffusion 1.x checkpoint");
            if (settings == null) throw new IllegalArgumentException("no settings");
            if (mask != null && initImage == null)
                throw new InputException(mask, "a mask needs a start picture (the picture to inpaint)");
            if (compute == null) compute = Compute.Request.auto();
        }

        /** The same request with another seed (A1111's batch count: seed, seed+1, ...). */
        public Request withSeed(long seed) {
            return new Request(model, loraDir, settings.withSeed(seed), initImage, denoisingStrength, mask, compute);
        }

        /** The files the job reads; an output may not be one of them. */
        public List<Path> inputs() {
            List<Path> in = new ArrayList<>();
            for (Path p : new Path[] {model, initImage, mask}) if (p != null) in.add(p);
            return in;
        }

        /** The LoRAs the prompt asks for with a non-zero weight, each found in {@link #loraDir} (else an input error). */
        public List<Lora.Use> loras() {
            List<Lora.Use> uses = new ArrayList<>();
            for (Lora.Use u : Lora.tags(settings.prompt())) {
                Lora.resolve(loraDir, u.name());
                if (u.multiplier() != 0) uses.add(u);
            }
            return uses;
        }
    }

    /**
     * A generated picture, its A1111 infotext (what the PNG's parameters chunk holds) and the device
     * it ran on.
     */
    public record Result(BufferedImage image, String infotext, long seed, String device) {}

    private static PortraitGenerator cached;
    private static String cachedKey;

    private PortraitJob() {}

    /**
     * Generates one picture. Every input problem (a LoRA not found, a start picture that cannot be
     * read, a file that is not a checkpoint) is an {@link InputException} naming the file, raised before
     * the model loads where it can be. Remarks that do not stop it (LoRA modules not applied) go to
     * {@link JobContext#warn}.
     */
    public static Result generate(Request r, JobContext job) {
        List<Lora.Use> loras = r.loras();
        PortraitGenerator.ImageInput start = r.initImage() == null
                ? null
                : new PortraitGenerator.ImageInput(
                        Portrait.load(r.initImage()),
                        r.denoisingStrength(),
                        r.mask() == null ? null : Portrait.load(r.mask()));
        Compute compute = r.compute().resolve();
        PortraitGenerator gen = generator(r, loras, compute, job);
        job.cancellation().check();
        BufferedImage img = gen.generate(r.settings(), start, job);
        String info = r.settings().infotext(gen.modelName());
        if (start != null) info += ", Denoising strength: " + r.denoisingStrength(); // as A1111's img2img infotext
        return new Result(img, info, r.settings().seed(), compute.describe());
    }

    /** Frees the kept model (the studio when it closes; tests). */
    public static synchronized void release() {
        if (cached != null) cached.close();
        cached = null;
        cachedKey = null;
    }

    private static synchronized PortraitGenerator generator(
            Request r, List<Lora.Use> loras, Compute compute, JobContext job) {
        Path model = r.model().toAbsolutePath().normalize();
        // LoRAs are merged into the weights at load, so they are part of what the kept model is.
        String key = model + " " + r.loraDir() + " " + loras + " " + compute.key();
        if (key.equals(cachedKey)) return cached;
        release();
        String f = model.getFileName().toString();
        String name = f.contains(".") ? f.substring(0, f.lastIndexOf('.')) : f;
        try (StateDict dict = Sd15Checkpoint.open(model)) {
            List<StateDict> loraFiles = Lora.open(r.loraDir(), loras);
            try {
                StateDict merged = dict;
                if (!loras.isEmpty()) {
                    Set<String> unmatched = new TreeSet<>();
                    merged = Lora.apply(
                            dict,
                            loraFiles,
                            loras.stream().map(Lora.Use::multiplier).toList(),
                            unmatched);
                    if (!unmatched.isEmpty())
                        job.warn(unmatched.size() + " LoRA modules not applied (unsupported layers), e.g. "
                                + unmatched.iterator().next());
                }
                cached = PortraitGenerator.load(merged, name, compute);
            } finally {
                for (StateDict l : loraFiles) l.close();
            }
        }
        cachedKey = key;
        return cached;
    }
}
