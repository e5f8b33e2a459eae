package studio.render.neural;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import studio.weights.ProceduralWeights;
import studio.weights.WeightSchema;
import studio.weights.StateDict;

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

    private static Map<String, long[]> group(Path schema, String name) {
        return WeightSchema.read(schema, name);
    }
}
