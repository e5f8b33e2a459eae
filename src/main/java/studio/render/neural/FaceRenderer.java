package studio.render.neural;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import studio.image.Images;
import studio.image.Images.Scaling;
import studio.job.FrameSink;
import studio.job.InputException;
import studio.job.JobContext;
import studio.job.Stage;
import studio.job.StageProgress;
import studio.job.StudioException;
import studio.nn.Autocast;
import studio.nn.Compute;
import studio.nn.ImageTensors;
import studio.nn.ImageTensors.Range;
import studio.nn.ImageTensors.Rounding;
import studio.nn.Params;
import studio.nn.TorchEngine;
import studio.weights.Checkpoint;
import studio.weights.CheckpointException;
import studio.weights.Checkpoints;
import studio.weights.StateDict;

/**
 * SadTalker's face renderer (facerender/animate.py + make_animation.py) on DJL's PyTorch engine:
 * the mapping net turns windows of 3DMM coefficients into head pose, translation and expression
 * deltas; the keypoint detector finds the source's canonical 3-D keypoints; the keypoints are
 * transformed per frame; the occlusion-aware SPADE generator warps the source's feature volume
 * and decodes the frame.
 *
 * <p>Frames are made in batches of consecutive frames and handed to the sink as soon as their
 * batch is done; each batch lives in its own NDManager, so memory does not grow with the clip.
 * Work that depends on the source alone (keypoints, the encoder and 3-D residual blocks, the
 * dense-motion compression) runs once per clip rather than once per frame.
 */
public final class FaceRenderer implements AutoCloseable {
    private final NDManager base;
    private final KeypointDetector keypointDetector;
    private final MappingNet mapping;
    private final SpadeGenerator generator;
    private final boolean full;
    private final int size;
    private final Compute compute;

    /** The per-clip render settings, with SadTalker's names and defaults. */
    public record Options(
            double expressionScale,
            boolean still,
            int batchSize,
            List<Double> inputYaw,
            List<Double> inputPitch,
            List<Double> inputRoll) {
        public Options {
            if (batchSize < 1) throw new InputException("batch size must be at least 1, got " + batchSize);
            inputYaw = inputYaw == null ? List.of() : List.copyOf(inputYaw);
            inputPitch = inputPitch == null ? List.of() : List.copyOf(inputPitch);
            inputRoll = inputRoll == null ? List.of() : List.copyOf(inputRoll);
        }

        public static Options defaults() {
            return new Options(1.0, false, 2, List.of(), List.of(), List.of());
        }
    }

    private FaceRenderer(StateDict generatorKp, StateDict mappingDict, boolean full, int size, Compute compute) {
        this.full = full;
        this.size = size;
        this.compute = compute;
        base = compute.newManager();
        try {
            // the small mapping net first, so a wrong variant fails before the big networks load
            StateDict m = mappingDict.contains("mapping.first.0.weight") ? mappingDict.under("mapping.") : mappingDict;
            mapping = new MappingNet(new Params(m, base));
            int expected = full ? 73 : 70;
            if (mapping.coefficients != expected)
                throw new CheckpointException(
                        mappingDict.source(),
                        "the mapping net reads " + mapping.coefficients
                                + " coefficients but " + (full ? "full" : "crop") + " mode needs " + expected + " (use "
                                + mappingFile(full) + "; "
                                + Checkpoint.mapping(full).howToGet() + ")");
            keypointDetector = new KeypointDetector(new Params(generatorKp, base, "kp_extractor."));
            generator = new SpadeGenerator(new Params(generatorKp, base, "generator."));
        } catch (EngineException e) {
            base.close();
            throw new CheckpointException(
                    generatorKp.source(), "tensors do not fit SadTalker's face renderer (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /**
     * Loads the networks. {@code generatorKpDict}: keys {@code generator.*} and {@code kp_extractor.*}
     * (the SadTalker checkpoint of the size, see {@link Checkpoint}); {@code mappingDict}: the mapping net's keys, with or
     * without the {@code mapping.} prefix; {@code full}: the 73-coefficient (full/extfull) variant.
     */
    public static FaceRenderer open(StateDict generatorKpDict, StateDict mappingDict, boolean full, int size) {
        return open(generatorKpDict, mappingDict, full, size, Compute.cpu());
    }

    /** As {@link #open(StateDict, StateDict, boolean, int)} on a device and precision. */
    public static FaceRenderer open(
            StateDict generatorKpDict, StateDict mappingDict, boolean full, int size, Compute compute) {
        if (size != 256 && size != 512) throw new InputException("face render size must be 256 or 512, got " + size);
        TorchEngine.useAllCores();
        return new FaceRenderer(generatorKpDict, mappingDict, full, size, compute);
    }

    /** The released generator + keypoint detector checkpoint for a render size (name from the catalog). */
    public static String generatorFile(int size) {
        return Checkpoint.sadTalker(size).file();
    }

    /** The released mapping-net checkpoint for full/extfull or crop/resize (name from the catalog). */
    public static String mappingFile(boolean full) {
        return Checkpoint.mapping(full).file();
    }

    /** Whether the released checkpoints this renderer needs are in {@code dir}. */
    public static boolean available(Path dir, boolean full, int size) {
        return Files.isRegularFile(dir.resolve(generatorFile(size)))
                && Files.isRegularFile(dir.resolve(mappingFile(full)));
    }

    /**
     * Loads the released checkpoints from {@code dir}: {@link #generatorFile} (keys
     * {@code generator.*}, {@code kp_extractor.*}) and {@link #mappingFile} (the state dict under
     * the key {@code mapping}). The files are closed once the weights are loaded.
     */
    public static FaceRenderer load(Path dir, boolean full, int size) {
        return load(dir, full, size, Compute.cpu());
    }

    /** As {@link #load(Path, boolean, int)} on a device and precision. */
    public static FaceRenderer load(Path dir, boolean full, int size, Compute compute) {
        try (StateDict generatorKp = Checkpoints.open(dir.resolve(generatorFile(size)));
                StateDict mappingDict = Checkpoints.open(dir.resolve(mappingFile(full)))) {
            return open(generatorKp, mappingDict, full, size, compute);
        }
    }

    /** One line for users and MP4 metadata: which models render. */
    public String describe() {
        return "SadTalker face renderer " + size + " (" + (full ? "full" : "crop") + "): " + generatorFile(size) + " + "
                + mappingFile(full);
    }

    public int size() {
        return size;
    }

    public boolean full() {
        return full;
    }

    /** NDArrays the renderer holds (its weights, and a clip's source while one renders): constant from frame to frame. */
    int liveArrays() {
        return base.getManagedArrays().size();
    }

    /** Coefficients per mapping window: 70, or 73 in full mode. */
    public int coefficients() {
        return full ? 73 : 70;
    }

    /** The source's keypoints, head motion and source-only features, computed once per clip. */
    public final class Source implements AutoCloseable {
        private final NDManager manager;
        private final float[] canonical;
        private final HeadMotion headMotion;
        private final float[] keypoints;
        private final SpadeGenerator.Source features;

        private Source(float[] imageChw, float[] semantics) {
            manager = base.newSubManager();
            // intermediates live in a scratch manager; only the source features are kept for the clip
            try (NDManager scratch = manager.newSubManager();
                    Autocast.Scope cast = compute.autocast()) {
                NDArray image = scratch.create(imageChw, new Shape(1, 3, size, size));
                canonical = keypointDetector.apply(image).toFloatArray();
                headMotion = mapping.apply(
                        scratch.create(semantics, new Shape(1, coefficients(), CoefficientWindows.WINDOW)));
                keypoints = KeypointTransform.apply(canonical, headMotion);
                // CPU: plain Java arrays; GPU: the volumes stay on the device, owned by this source
                features = generator.source(image);
                features.feature3d().keepIn(manager);
                features.motionVolume().compressed().keepIn(manager);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }

        /** kp_canonical, (15 × 3) row-major. */
        public float[] canonicalKeypoints() {
            return canonical.clone();
        }

        /** The mapping net's output for the source window (before the keypoint transform). */
        public HeadMotion headMotion() {
            return headMotion;
        }

        /** kp_source, (15 × 3) row-major. */
        public float[] keypoints() {
            return keypoints.clone();
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /**
     * Prepares a source from a (3 × size × size) RGB image in [0, 1] (CHW) and its coefficient
     * window ({@link #coefficients()} × 27, row-major).
     */
    public Source prepare(float[] imageChw, float[] sourceWindow) {
        if (imageChw.length != 3 * size * size) throw new InputException("source image must be 3×" + size + "×" + size);
        if (sourceWindow.length != coefficients() * CoefficientWindows.WINDOW)
            throw new InputException("source window must be " + coefficients() + "×" + CoefficientWindows.WINDOW);
        return new Source(imageChw, sourceWindow);
    }

    /**
     * Renders a batch of frames from their coefficient windows ({@code batch} × coefficients × 27,
     * row-major). {@code yaw}, {@code pitch}, {@code roll}: per-frame override angles in degrees
     * (offset by {@code from}), or null. Returns (batch × 3 × size × size) in [0, 1].
     */
    public float[] renderWindows(
            Source source, float[] windows, int batch, double[] yaw, double[] pitch, double[] roll, int from) {
        try (NDManager m = base.newSubManager();
                Autocast.Scope cast = compute.autocast()) {
            HeadMotion he =
                    mapping.apply(m.create(windows, new Shape(batch, coefficients(), CoefficientWindows.WINDOW)));
            int kpSize = source.keypoints.length;
            float[] driving = new float[batch * kpSize];
            float[] sourceKp = new float[batch * kpSize];
            for (int b = 0; b < batch; b++) {
                float[] kp = KeypointTransform.apply(
                        source.canonical,
                        he.sample(b),
                        angle(yaw, from + b),
                        angle(pitch, from + b),
                        angle(roll, from + b));
                System.arraycopy(kp, 0, driving, b * kpSize, kpSize);
                System.arraycopy(source.keypoints, 0, sourceKp, b * kpSize, kpSize);
            }
            Shape kpShape = new Shape(batch, kpSize / 3, 3);
            NDArray frames = generator.apply(source.features, m.create(sourceKp, kpShape), m.create(driving, kpShape));
            return frames.toFloatArray();
        }
    }

    private static double angle(double[] seq, int i) {
        return seq == null ? Double.NaN : seq[i];
    }

    /**
     * Renders one frame per row of {@code coeffs} (F × 70 from the motion stage) and hands each to
     * {@code sink} in order as soon as its batch is done.
     *
     * @param sourceCrop   the cropped portrait (resized to size × size if it is not already)
     * @param sourceCoeffs the portrait's coefficients: at least 70 values, 73 in full mode
     */
    public void render(
            BufferedImage sourceCrop,
            float[] sourceCoeffs,
            float[][] coeffs,
            Options options,
            FrameSink sink,
            JobContext job) {
        int width = coefficients();
        if (sourceCoeffs == null || sourceCoeffs.length < width)
            throw new InputException("the source coefficients have " + (sourceCoeffs == null ? 0 : sourceCoeffs.length)
                    + " values; " + (full ? "full mode needs 73 (70 + 3 crop parameters)" : "70 are needed"));
        if (coeffs.length == 0) throw new InputException("no coefficient frames to render");
        for (int f = 0; f < coeffs.length; f++)
            if (coeffs[f].length < 70)
                throw new InputException(
                        "coefficient frame " + f + " has " + coeffs[f].length + " values, expected 70");
        int frames = coeffs.length;
        CoefficientWindows windows =
                new CoefficientWindows(sourceCoeffs, coeffs, width, options.expressionScale(), options.still());
        double[] yaw = CameraPoseSequence.of(options.inputYaw(), frames);
        double[] pitch = CameraPoseSequence.of(options.inputPitch(), frames);
        double[] roll = CameraPoseSequence.of(options.inputRoll(), frames);
        StageProgress progress = job.stage(Stage.RENDER, frames);
        float[] sourceWindow = CoefficientWindows.sourceWindow(Arrays.copyOf(sourceCoeffs, width), width);
        try (Source source = prepare(toChw(sourceCrop, size), sourceWindow)) {
            renderAll(source, windows, options.batchSize(), yaw, pitch, roll, sink, progress);
        } catch (EngineException e) {
            throw new StudioException(
                    "the face renderer failed (do the checkpoints fit SadTalker's face renderer?): " + e.getMessage(),
                    e);
        }
    }

    private void renderAll(
            Source source,
            CoefficientWindows windows,
            int batchSize,
            double[] yaw,
            double[] pitch,
            double[] roll,
            FrameSink sink,
            StageProgress progress) {
        int width = coefficients();
        int frames = windows.frames();
        int per = width * CoefficientWindows.WINDOW;
        for (int start = 0; start < frames; start += batchSize) {
            int n = Math.min(batchSize, frames - start);
            float[] batch = new float[n * per];
            for (int i = 0; i < n; i++) windows.window(start + i, batch, i * per);
            float[] out = renderWindows(source, batch, n, yaw, pitch, roll, start);
            for (int i = 0; i < n; i++) sink.accept(toImage(out, i, size));
            progress.advance(n);
        }
    }

    /** An image as RGB floats in [0, 1], channels first, resized to size × size if needed. */
    static float[] toChw(BufferedImage image, int size) {
        return ImageTensors.chw(Images.rgb(image, size, size, Scaling.BILINEAR_QUALITY), Range.UNIT);
    }

    /** Frame {@code index} of a (B × 3 × size × size) [0, 1] batch as a TYPE_3BYTE_BGR image (img_as_ubyte rounding). */
    static BufferedImage toImage(float[] batch, int index, int size) {
        return ImageTensors.bgrImage(batch, index * 3 * size * size, size, size, Range.UNIT, Rounding.ROUND);
    }

    @Override
    public void close() {
        base.close();
    }
}
