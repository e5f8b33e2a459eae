package studio.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import studio.weights.Checkpoint;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensorsWriter;
import studio.weights.StateDict;
import studio.weights.WeightSchema;

/**
 * Full-size face-renderer weights made by the golden rule (shared/golden/README.md) from the key
 * list of a SadTalker schema.json, with the golden files' conventions (mapping salt = variant name,
 * mapping fc_exp / fc_t scaled by 0.05). For tests and benchmarks on machines without the released
 * checkpoints: same architecture and cost, meaningless pictures.
 */
public final class ProceduralFaceWeights {
    private ProceduralFaceWeights() {}

    /** generator.* and kp_extractor.* of a variant ("crop" or "full"). */
    public static StateDict generatorKp(Path schema, String variant) {
        Map<String, long[]> shapes = new LinkedHashMap<>(group(schema, "generator." + variant));
        shapes.putAll(group(schema, "kp_extractor." + variant));
        return new ProceduralWeights("", shapes);
    }

    /** mapping.* of a variant, salted and scaled as the golden files are. */
    public static StateDict mapping(Path schema, String variant) {
        return new ProceduralWeights(variant, group(schema, "mapping." + variant))
                .scale("mapping.fc_exp.weight", 0.05)
                .scale("mapping.fc_t.weight", 0.05);
    }

    /**
     * Writes a SadTalker checkpoint folder in the released file layout (256, crop) with every network
     * the neural engine loads — audio2exp, audio2pose, net_recon, generator, keypoint detector and the
     * mapping net — so the whole engine can run where the released files are absent (tests, benchmarks).
     */
    public static void writeCheckpointFolder(Path schema, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, long[]> main = WeightSchema.read(
                schema, "audio2exp", "audio2pose", "face_3drecon", "generator.crop", "kp_extractor.crop");
        write(new ProceduralWeights("", main), Checkpoint.SADTALKER_256.in(dir));
        // The mapping net under its released name; the reader recognises files by content, not by name.
        write(mapping(schema, "crop"), Checkpoint.MAPPING_CROP.in(dir));
    }

    /** Full-size procedural GFPGAN v1.4 weights under the released file name (a safetensors file; read by content). */
    public static void writeGfpgan(Path schema, Path dir) {
        write(new ProceduralWeights("", WeightSchema.read(schema)), Checkpoint.GFPGAN.in(dir));
    }

    private static void write(StateDict dict, Path file) {
        SafeTensorsWriter w = new SafeTensorsWriter();
        for (String k : dict.keys()) w.put(k, dict.floats(k), dict.info(k).shape());
        w.write(file);
    }

    private static Map<String, long[]> group(Path schema, String name) {
        return WeightSchema.read(schema, name);
    }
}
