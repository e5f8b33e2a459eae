package studio.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import studio.golden.Golden;
import studio.weights.SafeTensors;

/**
 * The PyTorch-written per-layer fixture {@code src/test/resources/nn/layers.safetensors} (made by
 * {@code tools/make_nn_fixtures.py}): for each case, inputs {@code <case>.in.*}, parameters
 * {@code <case>.w.*} under their state-dict names, the reference output {@code <case>.out}, and
 * the case's settings as JSON in the metadata under the case's name.
 */
final class LayerFixture implements AutoCloseable {
    static final Path FILE = Path.of("src/test/resources/nn/layers.safetensors");
    /** The comparison bound, relative: max|java - torch| <= TOL * (1 + max|torch|). */
    static final double TOL = 1e-5;

    private final SafeTensors file = SafeTensors.open(FILE);

    /** The case's settings (the generator's JSON object). */
    JsonObject settings(String name) {
        String json = file.metadata().get(name);
        assertTrue(json != null, "fixture has no case '" + name + "'");
        return JsonParser.parseString(json).getAsJsonObject();
    }

    /** Input {@code <case>.in.<input>} as an NDArray of {@code m}. */
    NDArray in(NDManager m, String name, String input) {
        return array(m, name + ".in." + input);
    }

    /** A reference tensor other than the output, {@code <case>.ref.<what>}. */
    NDArray ref(NDManager m, String name, String what) {
        return array(m, name + ".ref." + what);
    }

    /** The case's parameters, read strictly (shape-checked) as the model loaders read them. */
    Params params(NDManager m, String name) {
        return new Params(file.under(name + ".w."), m);
    }

    float[] floats(String key) {
        return file.floats(key);
    }

    /**
     * Asserts that {@code actual} has the shape and, within {@link #TOL}, the values of
     * {@code <case>.out}; {@code label} is the case's name, optionally followed by a space and
     * what is being checked ({@code "bn2d Layers.batchNorm"}).
     */
    void check(String label, NDArray actual) {
        check(label, label.split(" ", 2)[0] + ".out", actual, TOL);
    }

    void check(String what, String key, NDArray actual, double tol) {
        long[] shape = file.info(key).shape();
        float[] ref = file.floats(key);
        double max = 0;
        for (float v : ref) if (Float.isFinite(v)) max = Math.max(max, Math.abs(v));
        assertTrue(max > 1e-3, key + " is (nearly) all zero: the fixture would not catch a wrong layer");
        Golden.assertShape(what, shape, actual.getShape().getShape());
        Golden.assertClose(what, ref, actual.toFloatArray(), tol);
    }

    private NDArray array(NDManager m, String key) {
        return m.create(file.floats(key), new Shape(file.info(key).shape()));
    }

    @Override
    public void close() {
        file.close();
    }
}
