package studio.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import studio.face.Preprocess;
import studio.job.StudioException;
import studio.nn.Compute;
import studio.weights.ModelCatalog;

/**
 * Everything a render job needs; names and defaults follow SadTalker's {@code inference.py}.
 *
 * @param poseStyle 0..45, the pose CVAE's style (built-in engine: a seeded motion character)
 * @param batchSize frames rendered together by the neural engines
 * @param enhancerUpscale 1 = the enhancer keeps the frame size, 2 = doubles it (SadTalker's enhancer)
 * @param inputYaw  optional yaw keyframes in degrees, interpolated over the clip as SadTalker does
 * @param compute   the device and precision asked for ({@code --device}, {@code --precision}), resolved per job
 */
public record RenderOptions(
        Path image,
        Path audio,
        Path output,
        int poseStyle,
        Preprocess preprocess,
        boolean still,
        int size,
        Enhancer enhancer,
        double enhancerStrength,
        int enhancerUpscale,
        double expressionScale,
        boolean blink,
        int batchSize,
        EngineChoice engine,
        Path checkpointDir,
        Path refEyeblink,
        Path refPose,
        List<Double> inputYaw,
        List<Double> inputPitch,
        List<Double> inputRoll,
        Path saveCoeffs,
        Compute.Request compute) {

    public enum Enhancer {
        NONE,
        GFPGAN;

        public String id() {
            return name().toLowerCase();
        }
    }

    /** AUTO picks the neural engine when its checkpoints are present, else the built-in one. */
    public enum EngineChoice {
        AUTO,
        BUILTIN,
        SADTALKER;

        public String id() {
            return name().toLowerCase();
        }
    }

    public RenderOptions {
        if (poseStyle < 0 || poseStyle > 45) throw new StudioException("pose style must be 0..45, got " + poseStyle);
        if (size != 256 && size != 512) throw new StudioException("size must be 256 or 512, got " + size);
        if (batchSize < 1) throw new StudioException("batch size must be at least 1, got " + batchSize);
        if (!(expressionScale >= 0 && expressionScale <= 10))
            throw new StudioException("expression scale must be 0..10, got " + expressionScale);
        if (!(enhancerStrength >= 0 && enhancerStrength <= 1))
            throw new StudioException("enhancer strength must be 0..1, got " + enhancerStrength);
        if (enhancerUpscale != 1 && enhancerUpscale != 2)
            throw new StudioException("enhancer upscale must be 1 or 2, got " + enhancerUpscale);
        inputYaw = inputYaw == null ? List.of() : List.copyOf(inputYaw);
        inputPitch = inputPitch == null ? List.of() : List.copyOf(inputPitch);
        inputRoll = inputRoll == null ? List.of() : List.copyOf(inputRoll);
        if (checkpointDir == null) checkpointDir = ModelCatalog.defaultDir();
        if (compute == null) compute = Compute.Request.auto();
    }

    /** The files the job reads; neither output may be one of them. */
    public List<Path> inputs() {
        List<Path> in = new ArrayList<>();
        for (Path p : new Path[] {image, audio, refEyeblink, refPose}) if (p != null) in.add(p);
        return in;
    }

    /** SadTalker's defaults for a portrait and an audio clip. */
    public static RenderOptions defaults(Path image, Path audio, Path output) {
        return builder().image(image).audio(audio).output(output).build();
    }

    /** SadTalker's defaults, no files yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** These options as a builder, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.image = image;
        b.audio = audio;
        b.output = output;
        b.poseStyle = poseStyle;
        b.preprocess = preprocess;
        b.still = still;
        b.size = size;
        b.enhancer = enhancer;
        b.enhancerStrength = enhancerStrength;
        b.enhancerUpscale = enhancerUpscale;
        b.expressionScale = expressionScale;
        b.blink = blink;
        b.batchSize = batchSize;
        b.engine = engine;
        b.checkpointDir = checkpointDir;
        b.refEyeblink = refEyeblink;
        b.refPose = refPose;
        b.inputYaw = inputYaw;
        b.inputPitch = inputPitch;
        b.inputRoll = inputRoll;
        b.saveCoeffs = saveCoeffs;
        b.compute = compute;
        return b;
    }

    public RenderOptions withOutput(Path o) {
        return toBuilder().output(o).build();
    }

    /** Named setters over SadTalker's defaults; {@link #build()} validates. */
    public static final class Builder {
        private Path image, audio, output, checkpointDir, refEyeblink, refPose, saveCoeffs;
        private int poseStyle, size = 256, enhancerUpscale = 2, batchSize = 2;
        private Preprocess preprocess = Preprocess.CROP;
        private boolean still, blink = true;
        private Enhancer enhancer = Enhancer.NONE;
        private double enhancerStrength = 1.0, expressionScale = 1.0;
        private EngineChoice engine = EngineChoice.AUTO;
        private List<Double> inputYaw = List.of(), inputPitch = List.of(), inputRoll = List.of();
        private Compute.Request compute = Compute.Request.auto();

        private Builder() {}

        public Builder image(Path v) {
            image = v;
            return this;
        }

        public Builder audio(Path v) {
            audio = v;
            return this;
        }

        public Builder output(Path v) {
            output = v;
            return this;
        }

        public Builder poseStyle(int v) {
            poseStyle = v;
            return this;
        }

        public Builder preprocess(Preprocess v) {
            preprocess = v;
            return this;
        }

        public Builder still(boolean v) {
            still = v;
            return this;
        }

        public Builder size(int v) {
            size = v;
            return this;
        }

        public Builder enhancer(Enhancer v) {
            enhancer = v;
            return this;
        }

        public Builder enhancerStrength(double v) {
            enhancerStrength = v;
            return this;
        }

        public Builder enhancerUpscale(int v) {
            enhancerUpscale = v;
            return this;
        }

        public Builder expressionScale(double v) {
            expressionScale = v;
            return this;
        }

        public Builder blink(boolean v) {
            blink = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder engine(EngineChoice v) {
            engine = v;
            return this;
        }

        public Builder checkpointDir(Path v) {
            checkpointDir = v;
            return this;
        }

        public Builder refEyeblink(Path v) {
            refEyeblink = v;
            return this;
        }

        public Builder refPose(Path v) {
            refPose = v;
            return this;
        }

        public Builder inputYaw(List<Double> v) {
            inputYaw = v;
            return this;
        }

        public Builder inputPitch(List<Double> v) {
            inputPitch = v;
            return this;
        }

        public Builder inputRoll(List<Double> v) {
            inputRoll = v;
            return this;
        }

        /** {@code --device auto|cpu|cuda[:N]} and {@code --precision auto|fp32|fp16|bf16} (null: auto). */
        public Builder compute(String device, String precision) {
            compute = new Compute.Request(device, precision);
            return this;
        }

        public Builder compute(Compute.Request v) {
            compute = v;
            return this;
        }

        public Builder device(String v) {
            compute = new Compute.Request(v, compute.precision());
            return this;
        }

        public Builder precision(String v) {
            compute = new Compute.Request(compute.device(), v);
            return this;
        }

        public Builder saveCoeffs(Path v) {
            saveCoeffs = v;
            return this;
        }

        public RenderOptions build() {
            return new RenderOptions(
                    image,
                    audio,
                    output,
                    poseStyle,
                    preprocess,
                    still,
                    size,
                    enhancer,
                    enhancerStrength,
                    enhancerUpscale,
                    expressionScale,
                    blink,
                    batchSize,
                    engine,
                    checkpointDir,
                    refEyeblink,
                    refPose,
                    inputYaw,
                    inputPitch,
                    inputRoll,
                    saveCoeffs,
                    compute);
        }
    }
}
