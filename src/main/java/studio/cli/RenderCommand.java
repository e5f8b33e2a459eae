package studio.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import studio.face.Preprocess;
import studio.job.Cancellation;
import studio.job.JobContext;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderOptions.EngineChoice;
import studio.pipeline.RenderOptions.Enhancer;
import studio.pipeline.RenderPipeline;
import studio.pipeline.RenderResult;

/** {@code render}: SadTalker's inference.py options, kebab-case, with its snake_case names as aliases. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        abbreviateSynopsis = true,
        description = "Render a talking-head MP4 from a portrait and an audio clip.")
public final class RenderCommand implements Callable<Integer> {
    @Option(
            names = {"-i", "--image", "--source_image"},
            required = true,
            paramLabel = "IMAGE",
            description = "Portrait picture (png, jpg, ...).")
    Path image;

    @Option(
            names = {"-a", "--audio", "--driven_audio"},
            required = true,
            paramLabel = "AUDIO",
            description = "Voice clip (wav, mp3, m4a, ogg, flac, ...).")
    Path audio;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "MP4",
            description = "Output video file.")
    Path output;

    @Option(
            names = {"--pose-style", "--pose_style"},
            defaultValue = "0",
            description = "Pose style 0-45 (default: ${DEFAULT-VALUE}).")
    int poseStyle;

    @Option(
            names = "--preprocess",
            defaultValue = "crop",
            description = "crop, resize, full, extcrop or extfull (default: ${DEFAULT-VALUE}).",
            converter = EnumConverters.PreprocessConverter.class)
    Preprocess preprocess;

    @Option(names = "--still", description = "Keep the head nearly still (for full-body pictures with full/extfull).")
    boolean still;

    @Option(
            names = "--size",
            defaultValue = "256",
            description = "Face render size, 256 or 512 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--enhancer",
            defaultValue = "none",
            description = "Face restoration: none or gfpgan (default: ${DEFAULT-VALUE}).",
            converter = EnumConverters.EnhancerConverter.class)
    Enhancer enhancer;

    @Option(
            names = "--enhancer-strength",
            defaultValue = "1.0",
            description = "Blend of restored over unrestored face, 0-1 (default: ${DEFAULT-VALUE}).")
    double enhancerStrength;

    @Option(
            names = "--enhancer-upscale",
            defaultValue = "2",
            description =
                    "Output size factor with an enhancer: 2 doubles the frame as SadTalker's enhancer does, 1 keeps it (default: ${DEFAULT-VALUE}).")
    int enhancerUpscale;

    @Option(
            names = {"--expression-scale", "--expression_scale"},
            defaultValue = "1.0",
            description = "Strength of the expressions (default: ${DEFAULT-VALUE}).")
    double expressionScale;

    @Option(names = "--no-blink", description = "Do not add eye blinks.")
    boolean noBlink;

    @Option(
            names = {"--batch-size", "--batch_size"},
            defaultValue = "2",
            description = "Frames rendered together by the neural engine (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--engine",
            defaultValue = "auto",
            description =
                    "auto, builtin or sadtalker (default: ${DEFAULT-VALUE}: sadtalker when its checkpoints are present).",
            converter = EnumConverters.EngineConverter.class)
    EngineChoice engine;

    @Mixin
    CheckpointDirOption checkpointDir;

    @Option(
            names = {"--ref-eyeblink", "--ref_eyeblink"},
            paramLabel = "VIDEO",
            description = "Take eye blinks from this reference video (neural engine).")
    Path refEyeblink;

    @Option(
            names = {"--ref-pose", "--ref_pose"},
            paramLabel = "VIDEO",
            description = "Take the head pose from this reference video (neural engine).")
    Path refPose;

    @Option(
            names = {"--input-yaw", "--input_yaw"},
            arity = "1..*",
            paramLabel = "DEG",
            description = "Yaw keyframes in degrees, interpolated over the clip.")
    List<Double> inputYaw;

    @Option(
            names = {"--input-pitch", "--input_pitch"},
            arity = "1..*",
            paramLabel = "DEG",
            description = "Pitch keyframes in degrees.")
    List<Double> inputPitch;

    @Option(
            names = {"--input-roll", "--input_roll"},
            arity = "1..*",
            paramLabel = "DEG",
            description = "Roll keyframes in degrees.")
    List<Double> inputRoll;

    @Option(
            names = "--save-coeffs",
            paramLabel = "FILE",
            description = "Also write the motion coefficients (safetensors) to FILE.")
    Path saveCoeffs;

    @Option(
            names = "--device",
            paramLabel = "auto|cpu|cuda[:N]",
            defaultValue = "auto",
            description = "Where the networks run (default: ${DEFAULT-VALUE}: a CUDA GPU when this build has the CUDA"
                    + " natives and the driver sees one, else the CPU).")
    String device;

    @Option(
            names = "--precision",
            paramLabel = "auto|fp32|fp16|bf16",
            defaultValue = "auto",
            description = "Precision of the convolutions and matrix products (default: ${DEFAULT-VALUE}: fp16 on a"
                    + " GPU; on the CPU bf16 where it has AMX or AVX512-BF16 and bf16 measured faster, else fp32).")
    String precision;

    @Option(
            names = {"-q", "--quiet"},
            description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() {
        RenderOptions o = RenderOptions.builder()
                .image(image)
                .audio(audio)
                .output(output)
                .poseStyle(poseStyle)
                .preprocess(preprocess)
                .still(still)
                .size(size)
                .enhancer(enhancer)
                .enhancerStrength(enhancerStrength)
                .enhancerUpscale(enhancerUpscale)
                .expressionScale(expressionScale)
                .blink(!noBlink)
                .batchSize(batchSize)
                .engine(engine)
                .checkpointDir(checkpointDir.dir())
                .refEyeblink(refEyeblink)
                .refPose(refPose)
                .inputYaw(inputYaw)
                .inputPitch(inputPitch)
                .inputRoll(inputRoll)
                .saveCoeffs(saveCoeffs)
                .compute(device, precision)
                .build();
        Cancellation cancel = new Cancellation();
        ConsoleProgress progress = new ConsoleProgress(System.err, quiet);
        try (CancelOnSignal signals = new CancelOnSignal(cancel)) {
            RenderResult r = RenderPipeline.render(o, new JobContext(progress, cancel));
            progress.done();
            System.out.printf(
                    "wrote %s: %d frames, %dx%d, %.1f s of video in %.1f s%n",
                    r.output(), r.frames(), r.width(), r.height(), r.frames() / 25.0, r.seconds());
            System.out.println("engine: " + r.engine() + " (" + r.engineDescription() + ")");
            if (r.compute() != null) System.out.println("device: " + r.compute());
            return 0;
        } finally {
            progress.done();
        }
    }
}
