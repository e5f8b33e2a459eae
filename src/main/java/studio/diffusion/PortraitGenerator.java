package studio.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import studio.image.Images;
import studio.image.Images.Scaling;
import studio.job.InputException;
import studio.job.JobContext;
import studio.job.Stage;
import studio.job.StageProgress;
import studio.nn.Autocast;
import studio.nn.Compute;
import studio.nn.ImageTensors;
import studio.nn.ImageTensors.Range;
import studio.nn.ImageTensors.Rounding;
import studio.weights.StateDict;

/**
 * txt2img with a Stable Diffusion 1.x checkpoint: prompt and negative prompt through CLIP (A1111
 * emphasis and chunking), classifier-free guidance around the UNet, one of the {@link Sampler}s,
 * VAE decode. The same settings and seed give the same image. Progress: one report per step,
 * cancellable between steps.
 */
public final class PortraitGenerator implements AutoCloseable {
    /**
     * Generation settings; A1111 names. Width and height must be multiples of 8. {@code rng}: where the
     * noise comes from (A1111's random number generator source; NV gives A1111's default pictures).
     */
    public record Settings(
            String prompt,
            String negativePrompt,
            long seed,
            int steps,
            double cfgScale,
            int width,
            int height,
            String sampler,
            int clipSkip,
            LatentNoise.Source rng) {
        public Settings(
                String prompt,
                String negativePrompt,
                long seed,
                int steps,
                double cfgScale,
                int width,
                int height,
                String sampler,
                int clipSkip) {
            this(
                    prompt,
                    negativePrompt,
                    seed,
                    steps,
                    cfgScale,
                    width,
                    height,
                    sampler,
                    clipSkip,
                    LatentNoise.Source.NV);
        }

        public Settings {
            if (rng == null) rng = LatentNoise.Source.NV;
            if (prompt == null) prompt = "";
            if (negativePrompt == null) negativePrompt = "";
            if (width % 8 != 0 || height % 8 != 0 || width < 8 || height < 8 || width > 2048 || height > 2048)
                throw new InputException(
                        "image size " + width + "x" + height + " must be multiples of 8 between 8 and 2048");
            if (steps < 1 || steps > 500) throw new InputException("steps " + steps + " out of range 1..500");
            if (!(cfgScale >= 0 && cfgScale <= 100))
                throw new InputException("CFG scale " + cfgScale + " out of range 0..100");
            if (clipSkip < 1 || clipSkip > 12)
                throw new InputException("clip skip " + clipSkip + " out of range 1..12");
            Sampler.byName(sampler); // fails with the list of samplers
        }

        public Settings withSeed(long s) {
            return new Settings(prompt, negativePrompt, s, steps, cfgScale, width, height, sampler, clipSkip, rng);
        }

        /**
         * The talking-head portrait preset: the subject framed frontally, head and shoulders, on a
         * plain background at 512×512, which is what the face detector and renderer expect.
         */
        public static Settings portrait(String subject, long seed) {
            return new Settings(
                    subject + ", portrait photo, frontal face looking at the camera, head and shoulders, "
                            + "neutral expression, mouth closed, plain light grey background, soft even studio lighting, sharp focus",
                    "profile, side view, turned head, hands, hat, sunglasses, text, watermark, blurry, cropped, out of frame, "
                            + "multiple people, deformed, lowres",
                    seed,
                    25,
                    7,
                    512,
                    512,
                    "DPM++ 2M Karras",
                    1);
        }

        /** A1111's infotext: prompt, "Negative prompt: ...", then "Steps: ..., Sampler: ..." settings. */
        public String infotext(String model) {
            StringBuilder sb = new StringBuilder(prompt);
            if (!negativePrompt.isEmpty()) sb.append("\nNegative prompt: ").append(negativePrompt);
            sb.append(String.format(
                    Locale.ROOT,
                    "\nSteps: %d, Sampler: %s, CFG scale: %s, Seed: %d, Size: %dx%d",
                    steps,
                    sampler,
                    cfgText(cfgScale),
                    seed,
                    width,
                    height));
            if (model != null && !model.isEmpty()) sb.append(", Model: ").append(model);
            if (clipSkip > 1) sb.append(", Clip skip: ").append(clipSkip);
            // A1111's default "GPU" source gives the same starting latent as NV; only ancestral samplers tell them
            // apart
            if (rng == LatentNoise.Source.CPU || Sampler.byName(sampler).ancestral())
                sb.append(", RNG: ").append(rng.name());
            return sb.toString();
        }

        private static String cfgText(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }
    }

    /**
     * img2img / inpainting input: the start image (resized to the output size), A1111's denoising
     * strength (0 keeps it, 1 repaints it fully) and an optional mask (white = repaint, black = keep).
     */
    public record ImageInput(BufferedImage image, double denoisingStrength, BufferedImage mask) {
        public ImageInput {
            if (image == null) throw new InputException("img2img needs a start image");
            if (!(denoisingStrength >= 0 && denoisingStrength <= 1))
                throw new InputException("denoising strength " + denoisingStrength + " out of range 0..1");
        }
    }

    private final NDManager manager;
    private final TextEncoder textEncoder;
    private final UNet unet;
    private final Autoencoder vae;
    private final NoiseSchedule schedule = NoiseSchedule.sd15();
    private final String modelName;
    private final Compute compute;

    private PortraitGenerator(StateDict checkpoint, String modelName, Compute compute) {
        this.manager = compute.newManager();
        this.modelName = modelName;
        this.compute = compute;
        try {
            textEncoder = TextEncoder.load(checkpoint, manager);
            unet = UNet.load(checkpoint, manager);
            vae = Autoencoder.load(checkpoint, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads text encoder, UNet and VAE into memory (float32); the checkpoint may be closed afterwards. */
    public static PortraitGenerator load(StateDict checkpoint, String modelName) {
        return new PortraitGenerator(checkpoint, modelName, Compute.cpu());
    }

    /**
     * As {@link #load(StateDict, String)} on a device and precision. Under fp16 the text encoder
     * and the UNet compute in half precision; the VAE stays fp32 (SD 1.x's VAE overflows fp16 in
     * its decoder, A1111's {@code --no-half-vae}). Under bf16 all three do.
     */
    public static PortraitGenerator load(StateDict checkpoint, String modelName, Compute compute) {
        return new PortraitGenerator(checkpoint, modelName, compute);
    }

    /** bf16 for the VAE too (bf16 has fp32's range); fp16 would overflow in its decoder. */
    private Autocast.Scope vaeAutocast() {
        return Autocast.enter(
                compute.precision() == Compute.Precision.BF16 ? Compute.Precision.BF16 : Compute.Precision.FP32);
    }

    /** Where and in what precision this generator runs. */
    public Compute compute() {
        return compute;
    }

    /** The samplers' A1111 names, in the order a sampler menu lists them. */
    public static List<String> samplerNames() {
        return Sampler.all().stream().map(Sampler::name).toList();
    }

    public String modelName() {
        return modelName;
    }

    /** Generates one image (txt2img). */
    public BufferedImage generate(Settings s, JobContext job) {
        return generate(s, null, job);
    }

    /** Generates one image: txt2img when {@code input} is null, else img2img or (with a mask) inpainting. */
    public BufferedImage generate(Settings s, ImageInput input, JobContext job) {
        Sampler sampler = Sampler.byName(s.sampler());
        StageProgress progress = job.stage(Stage.GENERATE, s.steps());
        progress.message("portrait: encoding the prompt");
        try (NDManager m = manager.newSubManager()) {
            // LoRA tags were applied when the model was loaded; the text encoder never sees them.
            NDArray cond, uncond;
            try (Autocast.Scope cast = compute.autocast()) {
                cond = textEncoder.encode(m, Lora.strip(s.prompt()), s.clipSkip());
                uncond = textEncoder.encode(m, Lora.strip(s.negativePrompt()), s.clipSkip());
            }
            int lh = s.height() / 8, lw = s.width() / 8;
            Shape latentShape = new Shape(1, 4, lh, lw);
            Denoiser guided = (x, t) -> {
                try (NDManager step = m.newSubManager();
                        Autocast.Scope cast = compute.autocast()) {
                    NDArray lat = step.create(x, latentShape);
                    float[] tt = {(float) t, (float) t};
                    NDArray eu, ec;
                    if (cond.getShape().get(1) == uncond.getShape().get(1)) {
                        NDArray out = unet.forward(
                                NDArrays.concat(new NDList(lat, lat), 0),
                                tt,
                                NDArrays.concat(new NDList(uncond, cond), 0));
                        eu = out.get("0:1");
                        ec = out.get("1:2");
                    } else { // prompts of different chunk counts cannot share a batch
                        float[] t1 = {(float) t};
                        eu = unet.forward(lat, t1, uncond);
                        ec = unet.forward(lat, t1, cond);
                    }
                    return eu.add(ec.sub(eu).mul((float) s.cfgScale())).toFloatArray();
                }
            };
            LatentNoise rng = LatentNoise.of(s.rng(), s.seed());
            float[] noise = rng.next((int) latentShape.size());
            float[] init = null, keep = null;
            Denoiser model = guided;
            BufferedImage start = null;
            if (input != null) {
                start = resize(input.image(), s.width(), s.height());
                NDArray img = ImageTensors.chw(m, start, Range.SIGNED);
                try (Autocast.Scope cast = vaeAutocast()) {
                    init = vae.encode(img).toFloatArray();
                }
                if (input.mask() != null) {
                    keep = latentKeep(resize(input.mask(), s.width(), s.height()), lw, lh);
                    model = new MaskedDenoiser(guided, schedule, init, keep);
                }
            }
            float[] latent = sampler.sample(
                    model,
                    schedule,
                    init,
                    noise,
                    s.steps(),
                    input == null ? 1 : input.denoisingStrength(),
                    rng,
                    (i, n) -> progress.advance(1));
            progress.message("portrait: decoding");
            NDArray rgb;
            try (Autocast.Scope cast = vaeAutocast()) {
                rgb = vae.decode(m.create(latent, latentShape));
            }
            BufferedImage out = toImage(rgb.toFloatArray(), s.width(), s.height());
            if (keep != null) composite(out, start, resize(input.mask(), s.width(), s.height()));
            return out;
        }
    }

    /** The image as TYPE_INT_RGB, w × h (bicubic when it must be scaled). */
    static BufferedImage resize(BufferedImage img, int w, int h) {
        return Images.rgb(img, w, h, Scaling.BICUBIC);
    }

    /** Keep weights per latent element (4 channels) from a mask image: 1 - mean brightness of each 8×8 block. */
    static float[] latentKeep(BufferedImage mask, int lw, int lh) {
        float[] keep = new float[4 * lw * lh];
        for (int y = 0; y < lh; y++)
            for (int x = 0; x < lw; x++) {
                double sum = 0;
                for (int dy = 0; dy < 8; dy++)
                    for (int dx = 0; dx < 8; dx++) sum += brightness(mask.getRGB(x * 8 + dx, y * 8 + dy));
                float k = (float) (1 - sum / 64);
                for (int c = 0; c < 4; c++) keep[c * lw * lh + y * lw + x] = k;
            }
        return keep;
    }

    private static double brightness(int rgb) {
        return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / (3 * 255.0);
    }

    /** Pastes the original back where the mask keeps it (A1111 overlays the unmasked original after inpainting). */
    static void composite(BufferedImage out, BufferedImage original, BufferedImage mask) {
        for (int y = 0; y < out.getHeight(); y++)
            for (int x = 0; x < out.getWidth(); x++) {
                double a = brightness(mask.getRGB(x, y));
                int o = original.getRGB(x, y), g = out.getRGB(x, y), rgb = 0;
                for (int c = 16; c >= 0; c -= 8) {
                    int v = (int) Math.round(((o >> c) & 0xff) * (1 - a) + ((g >> c) & 0xff) * a);
                    rgb = (rgb << 8) | v;
                }
                out.setRGB(x, y, rgb);
            }
    }

    /** CHW floats in [-1, 1] to RGB, as A1111 converts: clamp((x + 1) / 2) * 255, truncated. */
    static BufferedImage toImage(float[] chw, int w, int h) {
        return ImageTensors.rgbImage(chw, w, h, Range.SIGNED, Rounding.TRUNCATE);
    }

    @Override
    public void close() {
        manager.close();
    }
}
