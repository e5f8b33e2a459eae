package studio.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import studio.job.StudioException;

/**
 * Everything a render job needs; names and defaults follow SadTalker's {@code inference.py}.
 *
 * @param poseStyle 0..45, the pose CVAE's style (built-in engine: a seeded motion character)
 * @param batchSize frames rendered together by the neural engines
 * @param enhancerUpscale 1 = the enhancer keeps the frame size, 2 = doubles it (SadTalker's enhancer)
 * @param inputYaw  optional yaw keyframes in degrees, interpolated over the clip as SadTalker does
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
        Path saveCoeffs) {

    public enum Preprocess { CROP, RESIZE, FULL, EXTCROP, EXTFULL;
        public boolean pastesBack() { return this == FULL || this == EXTFULL; }
        public String id() { return name().toLowerCase(); }
    }

    public enum Enhancer { NONE, GFPGAN;
        public String id() { return name().toLowerCase(); }
    }

    /** AUTO picks the neural engine when its checkpoints are present, else the built-in one. */
    public enum EngineChoice { AUTO, BUILTIN, SADTALKER;
        public String id() { return name().toLowerCase(); }
    }

    public RenderOptions {
        if (poseStyle < 0 || poseStyle > 45) throw new StudioException("pose style must be 0..45, got " + poseStyle);
        if (size != 256 && size != 512) throw new StudioException("size must be 256 or 512, got " + size);
        if (batchSize < 1) throw new StudioException("batch size must be at least 1, got " + batchSize);
        if (!(expressionScale >= 0 && expressionScale <= 10)) throw new StudioException("expression scale must be 0..10, got " + expressionScale);
        if (!(enhancerStrength >= 0 && enhancerStrength <= 1)) throw new StudioException("enhancer strength must be 0..1, got " + enhancerStrength);
        if (enhancerUpscale != 1 && enhancerUpscale != 2) throw new StudioException("enhancer upscale must be 1 or 2, got " + enhancerUpscale);
        inputYaw = inputYaw == null ? List.of() : List.copyOf(inputYaw);
        inputPitch = inputPitch == null ? List.of() : List.copyOf(inputPitch);
        inputRoll = inputRoll == null ? List.of() : List.copyOf(inputRoll);
        if (checkpointDir == null) checkpointDir = studio.weights.ModelCatalog.defaultDir();
    }

    /** The files the job reads; neither output may be one of them. */
    public List<Path> inputs() {
        List<Path> in = new ArrayList<>();
        for (Path p : new Path[] {image, audio, refEyeblink, refPose}) if (p != null) in.add(p);
        return in;
    }

    /** SadTalker's defaults for a portrait and an audio clip. */
    public static RenderOptions defaults(Path image, Path audio, Path output) {
        return new RenderOptions(image, audio, output, 0, Preprocess.CROP, false, 256, Enhancer.NONE, 1.0, 2, 1.0, true, 2,
                EngineChoice.AUTO, null, null, null, List.of(), List.of(), List.of(), null);
    }

    public RenderOptions withOutput(Path o) {
        return new RenderOptions(image, audio, o, poseStyle, preprocess, still, size, enhancer, enhancerStrength, enhancerUpscale,
                expressionScale, blink, batchSize, engine, checkpointDir, refEyeblink, refPose, inputYaw, inputPitch, inputRoll, saveCoeffs);
    }
}
