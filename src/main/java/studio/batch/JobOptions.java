package studio.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import studio.face.Preprocess;
import studio.job.StudioException;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderOptions.EngineChoice;
import studio.pipeline.RenderOptions.Enhancer;

/** A job's options, by {@code render}'s CLI names, into {@link RenderOptions}. */
final class JobOptions {
    /** The render options a JOBS file may set, snake_case (kebab-case and SadTalker's aliases are accepted too). */
    static final List<String> NAMES = List.of(
            "pose_style",
            "preprocess",
            "still",
            "size",
            "enhancer",
            "enhancer_strength",
            "enhancer_upscale",
            "expression_scale",
            "no_blink",
            "batch_size",
            "engine",
            "ref_eyeblink",
            "ref_pose",
            "input_yaw",
            "input_pitch",
            "input_roll",
            "device",
            "precision");

    private JobOptions() {}

    /** {@code --Pose-Style} → {@code pose_style}; SadTalker's {@code source_image}/{@code driven_audio} → image/audio. */
    static String canonical(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        while (k.startsWith("_")) k = k.substring(1);
        return switch (k) {
            case "source_image", "i" -> "image";
            case "driven_audio", "a" -> "audio";
            default -> k;
        };
    }

    /** The render of {@code job} into {@code output}; a bad value fails with one line naming the job's line. */
    static RenderOptions of(BatchJob job, Path output, Path checkpointDir) {
        RenderOptions.Builder b = RenderOptions.builder()
                .image(Path.of(job.image()))
                .audio(Path.of(job.audio()))
                .output(output)
                .checkpointDir(checkpointDir);
        for (Map.Entry<String, String> e : job.options().entrySet()) {
            String k = e.getKey(), v = e.getValue();
            try {
                switch (k) {
                    case "pose_style" -> b.poseStyle(Integer.parseInt(v));
                    case "preprocess" -> b.preprocess(choice(Preprocess.class, v));
                    case "still" -> b.still(bool(v));
                    case "size" -> b.size(Integer.parseInt(v));
                    case "enhancer" -> b.enhancer(choice(Enhancer.class, v));
                    case "enhancer_strength" -> b.enhancerStrength(Double.parseDouble(v));
                    case "enhancer_upscale" -> b.enhancerUpscale(Integer.parseInt(v));
                    case "expression_scale" -> b.expressionScale(Double.parseDouble(v));
                    case "no_blink" -> b.blink(!bool(v));
                    case "batch_size" -> b.batchSize(Integer.parseInt(v));
                    case "engine" -> b.engine(choice(EngineChoice.class, v));
                    case "ref_eyeblink" -> b.refEyeblink(Path.of(v));
                    case "ref_pose" -> b.refPose(Path.of(v));
                    case "input_yaw" -> b.inputYaw(numbers(v));
                    case "input_pitch" -> b.inputPitch(numbers(v));
                    case "input_roll" -> b.inputRoll(numbers(v));
                    case "device" -> b.device(v);
                    case "precision" -> b.precision(v);
                    default -> throw new StudioException("unknown option");
                }
            } catch (NumberFormatException ex) {
                throw new StudioException(job.where() + ": " + k + " '" + v + "' is not a number");
            } catch (StudioException ex) {
                throw new StudioException(job.where() + ": " + k + " " + ex.getMessage());
            }
        }
        try {
            return b.build();
        } catch (StudioException ex) {
            throw new StudioException(job.where() + ": " + ex.getMessage());
        }
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on", "y" -> true;
            case "0", "false", "no", "off", "n" -> false;
            default -> throw new StudioException("'" + v + "' is not true or false");
        };
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String v) {
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StudioException("'" + v + "' is not one of "
                    + Arrays.toString(Arrays.stream(type.getEnumConstants())
                            .map(c -> c.name().toLowerCase(Locale.ROOT))
                            .toArray()));
        }
    }

    /** Keyframes: numbers separated by spaces, commas or semicolons. */
    private static List<Double> numbers(String v) {
        List<Double> out = new ArrayList<>();
        for (String s : v.split("[\\s,;]+")) if (!s.isEmpty()) out.add(Double.parseDouble(s));
        return out;
    }
}
