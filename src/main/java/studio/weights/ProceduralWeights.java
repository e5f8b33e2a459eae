package studio.weights;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Weights that are a pure function of their state-dict key (the rule of shared/golden/README.md),
 * so full-size architectures can be checked against reference outputs without shipping weights.
 * Tensors are generated on demand; the key list and shapes come from a schema.
 */
public final class ProceduralWeights implements StateDict {
    private final String salt;
    private final Map<String, TensorInfo> schema;
    private final Map<String, Double> scale = new LinkedHashMap<>();

    public ProceduralWeights(String salt, Map<String, long[]> shapes) {
        this.salt = salt == null ? "" : salt;
        Map<String, TensorInfo> m = new LinkedHashMap<>();
        shapes.forEach(
                (k, s) -> m.put(k, new TensorInfo(k, k.endsWith("num_batches_tracked") ? DType.I64 : DType.F32, s)));
        this.schema = Collections.unmodifiableMap(m);
    }

    /** Multiplies a generated tensor by a factor in float32 (the golden files' scale_overrides). */
    public ProceduralWeights scale(String key, double factor) {
        scale.put(key, factor);
        return this;
    }

    @Override
    public String source() {
        return "procedural weights (salt '" + salt + "')";
    }

    @Override
    public Set<String> keys() {
        return schema.keySet();
    }

    @Override
    public TensorInfo info(String key) {
        return schema.get(key);
    }

    @Override
    public float[] floats(String key) {
        TensorInfo info = require(key);
        float[] v = generate(salt, key, info.shape());
        Double f = scale.get(key);
        if (f != null) {
            float ff = f.floatValue();
            for (int i = 0; i < v.length; i++) v[i] = v[i] * ff;
        }
        return v;
    }

    /** The value rule for one tensor. */
    public static float[] generate(String salt, String key, long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        float[] out = new float[Math.toIntExact(n)];
        String leaf = key.substring(key.lastIndexOf('.') + 1);
        if (leaf.equals("num_batches_tracked")) return out;
        long seed = fnv1a64((salt + key).getBytes(StandardCharsets.UTF_8));
        double bound;
        if (shape.length >= 2) {
            long fanIn = 1;
            for (int i = 1; i < shape.length; i++) fanIn *= shape[i];
            bound = Math.sqrt(3.0 / fanIn);
        } else bound = 0.1;
        for (int i = 0; i < out.length; i++) {
            double u = (splitmix64(seed + i) >>> 40) / 16777216.0;
            double v;
            if (leaf.equals("running_var")) v = 0.5 + u;
            else if (leaf.equals("running_mean")) v = (2 * u - 1) * 0.1;
            else if (shape.length >= 2) v = (2 * u - 1) * bound;
            else if (leaf.equals("weight") || leaf.equals("weight_orig") || leaf.equals("gamma"))
                v = 1 + (2 * u - 1) * 0.1;
            else v = (2 * u - 1) * 0.1;
            out[i] = (float) v;
        }
        return out;
    }

    static long fnv1a64(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long splitmix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
