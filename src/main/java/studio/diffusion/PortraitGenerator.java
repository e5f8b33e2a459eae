package studio.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Random;
import studio.pipeline.InputException;
import studio.pipeline.JobContext;
import studio.pipeline.Stage;
import studio.pipeline.StageProgress;
import studio.weights.StateDict;

/**
 * txt2img with a Stable Diffusion 1.x checkpoint: prompt and negative prompt through CLIP (A1111
 * emphasis and chunking), classifier-free guidance around the UNet, one of the {@link Sampler}s,
 * VAE decode. The same settings and seed give the same image. Progress: one report per step,
 * cancellable between steps.
 */
public final class PortraitGenerator implements AutoCloseable {
    /** Generation settings; A1111 names. Width and height must be multiples of 8. */
    public record Settings(String prompt, String negativePrompt, long seed, int steps, double cfgScale,
                           int width, int height, String sampler, int clipSkip) {
        public Settings {
            if (prompt == null) prompt = "";
            if (negativePrompt == null) negativePrompt = "";
            if (width % 8 != 0 || height % 8 != 0 || width < 8 || height < 8 || width > 2048 || height > 2048)
                throw new InputException("image size " + width + "x" + height + " must be multiples of 8 between 8 and 2048");
            if (steps < 1 || steps > 500) throw new InputException("steps " + steps + " out of range 1..500");
            if (!(cfgScale >= 0 && cfgScale <= 100)) throw new InputException("CFG scale " + cfgScale + " out of range 0..100");
            if (clipSkip < 1 || clipSkip > 12) throw new InputException("clip skip " + clipSkip + " out of range 1..12");
            Sampler.byName(sampler); // fails with the list of samplers
        }

        public Settings withSeed(long s) {
            return new Settings(prompt, negativePrompt, s, steps, cfgScale, width, height, sampler, clipSkip);
        }

        /**
         * The talking-head portrait preset: the subject framed frontally, head and shoulders, on a
         * plain background at 512×512, which is what the face detector and renderer expect.
         */
        public static Settings portrait(String subject, long seed) {
            return new Settings(subject + ", portrait photo, frontal face looking at the camera, head and shoulders, "
                    + "neutral expression, mouth closed, plain light grey background, soft even studio lighting, sharp focus",
                    "profile, side view, turned head, hands, hat, sunglasses, text, watermark, blurry, cropped, out of frame, "
                            + "multiple people, deformed, lowres",
                    seed, 25, 7, 512, 512, "DPM++ 2M Karras", 1);
        }

        /** A1111's infotext: prompt, "Negative prompt: ...", then "Steps: ..., Sampler: ..." settings. */
        public String infotext(String model) {
            StringBuilder sb = new StringBuilder(prompt);
            if (!negativePrompt.isEmpty()) sb.append("\nNegative prompt: ").append(negativePrompt);
            sb.append(String.format(Locale.ROOT, "\nSteps: %d, Sampler: %s, CFG scale: %s, Seed: %d, Size: %dx%d",
                    steps, sampler, cfgText(cfgScale), seed, width, height));
            if (model != null && !model.isEmpty()) sb.append(", Model: ").append(model);
            if (clipSkip > 1) sb.append(", Clip skip: ").append(clipSkip);
            return sb.toString();
        }

        private static String cfgText(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }
    }

    private final NDManager manager;
    private final TextEncoder textEncoder;
    private final UNet unet;
    private final Autoencoder vae;
    private final NoiseSchedule schedule = NoiseSchedule.sd15();
    private final String modelName;

    private PortraitGenerator(StateDict checkpoint, String modelName) {
        this.manager = NDManager.newBaseManager();
        this.modelName = modelName;
        try {
            textEncoder = TextEncoder.load(checkpoint, manager);
            unet = UNet.load(checkpoint, manager);
            vae = Autoencoder.loadDecoder(checkpoint, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads text encoder, UNet and VAE decoder into memory (float32); the checkpoint may be closed afterwards. */
    public static PortraitGenerator load(StateDict checkpoint, String modelName) {
        return new PortraitGenerator(checkpoint, modelName);
    }

    public String modelName() {
        return modelName;
    }

    /** Generates one image. */
    public BufferedImage generate(Settings s, JobContext job) {
        Sampler sampler = Sampler.byName(s.sampler());
        StageProgress progress = job.stage(Stage.RENDER, s.steps());
        progress.message("portrait: encoding the prompt");
        try (NDManager m = manager.newSubManager()) {
            NDArray cond = textEncoder.encode(m, s.prompt(), s.clipSkip());
            NDArray uncond = textEncoder.encode(m, s.negativePrompt(), s.clipSkip());
            int lh = s.height() / 8, lw = s.width() / 8;
            Shape latentShape = new Shape(1, 4, lh, lw);
            Denoiser guided = (x, t) -> {
                try (NDManager step = m.newSubManager()) {
                    NDArray lat = step.create(x, latentShape);
                    float[] tt = {(float) t, (float) t};
                    NDArray eu, ec;
                    if (cond.getShape().get(1) == uncond.getShape().get(1)) {
                        NDArray out = unet.forward(NDArrays.concat(new NDList(lat, lat), 0), tt, NDArrays.concat(new NDList(uncond, cond), 0));
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
            float[] noise = noise(s.seed(), (int) latentShape.size());
            float[] latent = sampler.sample(guided, schedule, noise, s.steps(), new Random(s.seed() ^ 0x5DEECE66DL),
                    (i, n) -> progress.advance(1));
            progress.message("portrait: decoding");
            NDArray rgb = vae.decode(m.create(latent, latentShape));
            return toImage(rgb.toFloatArray(), s.width(), s.height());
        }
    }

    /** The initial latent noise of a seed: standard normal draws of java.util.Random (reproducible, not torch's). */
    static float[] noise(long seed, int n) {
        Random r = new Random(seed);
        float[] z = new float[n];
        for (int i = 0; i < n; i++) z[i] = (float) r.nextGaussian();
        return z;
    }

    /** CHW floats in [-1, 1] to RGB, as A1111 converts: clamp((x + 1) / 2) * 255, truncated. */
    static BufferedImage toImage(float[] chw, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x, rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = Math.clamp((chw[c * plane + i] + 1) / 2.0, 0.0, 1.0);
                    rgb = (rgb << 8) | (int) (255 * v);
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Override
    public void close() {
        manager.close();
    }
}
