package studio.render.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import studio.golden.Golden;
import studio.nn.Compute;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/**
 * Runs SadTalker's face renderer on one golden file (facerender_crop / facerender_full) and checks
 * every output the reference recorded: keypoints, the source's mapping output, every frame and the
 * yaw-override frame. Weights: procedural under the file's salts, mapping scale overrides applied,
 * spectral-norm u/v vectors from the file's shipped buffers.
 */
final class FacerenderGoldenCase {
    private FacerenderGoldenCase() {}

    static void check(String file, String variant, boolean full, int batchSize) {
        try (SafeTensors golden = Golden.open("sadtalker/" + file)) {
            StateDict generatorKp = generatorKp(golden, variant);
            ProceduralWeights mapping = mapping(golden, variant);
            int size = Integer.parseInt(golden.metadata().getOrDefault("size", "256"));

            try (FaceRenderer renderer = FaceRenderer.open(
                            generatorKp, mapping, full, size, Golden.compute(Compute.Precision.FP32));
                    FaceRenderer.Source source =
                            renderer.prepare(golden.floats("in.source_image"), golden.floats("in.source_semantics"))) {
                Golden.assertClose("kp_canonical", golden.floats("out.kp_canonical"), source.canonicalKeypoints());
                HeadMotion he = source.headMotion();
                Golden.assertClose("he_source.yaw", golden.floats("out.he_source.yaw"), he.yaw());
                Golden.assertClose("he_source.pitch", golden.floats("out.he_source.pitch"), he.pitch());
                Golden.assertClose("he_source.roll", golden.floats("out.he_source.roll"), he.roll());
                Golden.assertClose("he_source.t", golden.floats("out.he_source.t"), he.t());
                Golden.assertClose("he_source.exp", golden.floats("out.he_source.exp"), he.exp());
                Golden.assertClose("kp_source", golden.floats("out.kp_source"), source.keypoints());

                long[] ts = golden.info("in.target_semantics").shape();
                int frames = (int) ts[1];
                int per = (int) (ts[2] * ts[3]);
                assertEquals(renderer.coefficients() * CoefficientWindows.WINDOW, per, "window size");
                float[] windows = golden.floats("in.target_semantics");
                float[] expected = golden.floats("out.predictions");
                int frameSize = 3 * size * size;
                for (int start = 0; start < frames; start += batchSize) {
                    int n = Math.min(batchSize, frames - start);
                    float[] out = renderer.renderWindows(
                            source,
                            Arrays.copyOfRange(windows, start * per, (start + n) * per),
                            n,
                            null,
                            null,
                            null,
                            start);
                    for (int i = 0; i < n; i++) {
                        int f = start + i;
                        Golden.assertClose(
                                "prediction frame " + f,
                                Arrays.copyOfRange(expected, f * frameSize, (f + 1) * frameSize),
                                Arrays.copyOfRange(out, i * frameSize, (i + 1) * frameSize));
                    }
                }

                double yaw = golden.floats("in.yaw_override")[0];
                float[] override = renderer.renderWindows(
                        source, Arrays.copyOfRange(windows, 0, per), 1, new double[] {yaw}, null, null, 0);
                Golden.assertClose("prediction_yaw_override", golden.floats("out.prediction_yaw_override"), override);
            }
        }
    }

    /** The golden's generator + keypoint weights: procedural under its salt, with the shipped spectral-norm buffers. */
    static StateDict generatorKp(SafeTensors golden, String variant) {
        Map<String, long[]> genShapes =
                new LinkedHashMap<>(Golden.schema("sadtalker/schema.json", "generator." + variant));
        genShapes.putAll(Golden.schema("sadtalker/schema.json", "kp_extractor." + variant));
        return new Overlay(new ProceduralWeights(Golden.salt(golden), genShapes), golden, "buf.");
    }

    /** The golden's mapping-net weights, with its scale overrides. */
    static ProceduralWeights mapping(SafeTensors golden, String variant) {
        Map<String, String> meta = golden.metadata();
        ProceduralWeights mapping = new ProceduralWeights(
                meta.getOrDefault("mapping_salt", variant),
                Golden.schema("sadtalker/schema.json", "mapping." + variant));
        String overrides = meta.get("scale_overrides");
        if (overrides != null)
            for (Map.Entry<String, JsonElement> e :
                    JsonParser.parseString(overrides).getAsJsonObject().entrySet())
                mapping.scale(e.getKey(), e.getValue().getAsDouble());
        return mapping;
    }

    /** Procedural weights with some tensors replaced by ones shipped in the golden file under a prefix. */
    private record Overlay(StateDict base, SafeTensors shipped, String prefix) implements StateDict {
        @Override
        public String source() {
            return base.source() + " + " + shipped.source();
        }

        @Override
        public Set<String> keys() {
            Set<String> k = new LinkedHashSet<>(base.keys());
            for (String s : shipped.keys()) if (s.startsWith(prefix)) k.add(s.substring(prefix.length()));
            return k;
        }

        @Override
        public TensorInfo info(String key) {
            TensorInfo i = shipped.info(prefix + key);
            return i != null ? i : base.info(key);
        }

        @Override
        public float[] floats(String key) {
            return shipped.contains(prefix + key) ? shipped.floats(prefix + key) : base.floats(key);
        }
    }
}
