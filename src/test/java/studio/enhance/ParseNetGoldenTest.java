package studio.enhance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import studio.golden.Golden;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;
import studio.weights.WeightSchema;

/**
 * ParseNet against facexlib's own module run by PyTorch with procedural weights
 * (tools/make_parsenet_golden.py; the file records the reference's keys and shapes).
 */
class ParseNetGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/enhance/parsenet_golden.safetensors");

    static Map<String, long[]> referenceSchema(SafeTensors golden) {
        return WeightSchema.shapes(
                JsonParser.parseString(golden.metadata().get("schema")).getAsJsonObject());
    }

    @Test
    void expectsTheReferenceKeys() {
        try (SafeTensors golden = SafeTensors.open(GOLDEN)) {
            Map<String, long[]> ref = referenceSchema(golden), ours = ParseNet.expectedShapes();
            assertEquals(ref.keySet(), ours.keySet());
            ref.forEach((k, s) -> assertEquals(Arrays.toString(s), Arrays.toString(ours.get(k)), k));
        }
    }

    @Test
    void parsesLikeTheReference() {
        try (SafeTensors golden = SafeTensors.open(GOLDEN);
                NDManager base = NDManager.newBaseManager();
                ParseNet net = new ParseNet(new ProceduralWeights(Golden.salt(golden), referenceSchema(golden)), base);
                NDManager batch = base.newSubManager()) {
            NDArray x = batch.create(
                    golden.floats("in.face"), new Shape(golden.info("in.face").shape()));
            NDArray mask = net.parse(x);
            Golden.assertShape(
                    "out.mask", golden.info("out.mask").shape(), mask.getShape().getShape());
            Golden.assertClose("out.mask", golden.floats("out.mask"), mask.toFloatArray());
            Golden.assertClose("out.img", golden.floats("out.img"), net.image(x).toFloatArray());
        }
    }
}
