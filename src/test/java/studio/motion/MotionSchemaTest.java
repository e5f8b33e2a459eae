package studio.motion;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import studio.golden.Golden;
import studio.weights.CheckpointException;
import studio.weights.ProceduralWeights;
import studio.weights.StateDict;

/**
 * Every key and shape of the golden schema's audio2exp, audio2pose and face_3drecon groups (the
 * layout of the official SadTalker_V0.0.2 checkpoints) is accepted by the loaders, and a mangled
 * layout is rejected with the tensor named.
 */
class MotionSchemaTest {
    private static Map<String, long[]> group(String... names) {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (String n : names) m.putAll(Golden.schema("sadtalker/schema.json", n));
        return m;
    }

    @Test
    void officialLayoutIsAccepted() {
        try (Audio2Coeff a = Audio2Coeff.load(new ProceduralWeights("", group("audio2exp", "audio2pose")))) {
            assertTrue(a != null);
        }
        try (NetRecon n = NetRecon.load(new ProceduralWeights("", group("face_3drecon")))) {
            assertTrue(n != null);
        }
    }

    @Test
    void mangledLayoutsAreRejectedByName() {
        rejects(
                "audio2exp",
                "audio2pose",
                s -> s.remove("audio2exp.mapping1.bias"),
                "missing tensors audio2exp.mapping1.bias");
        rejects(
                "audio2exp",
                "audio2pose",
                s -> s.put("audio2pose.netG.decoder.MLP.L1.weight", new long[] {191, 128}),
                "misshapen tensors audio2pose.netG.decoder.MLP.L1.weight [191, 128] (expected [192, 128])");
        rejects(
                "audio2exp",
                "audio2pose",
                s -> s.put("audio2exp.mapping2.weight", new long[] {64, 30}),
                "unexpected tensors audio2exp.mapping2.weight");
        rejects(
                "face_3drecon",
                null,
                s -> s.put("face_3drecon.backbone.layer3.5.conv2.weight", new long[] {256, 256, 1, 1}),
                "face_3drecon.backbone.layer3.5.conv2.weight [256, 256, 1, 1] (expected [256, 256, 3, 3])");
        rejects(
                "face_3drecon",
                null,
                s -> s.remove("face_3drecon.final_layers.6.bias"),
                "missing tensors face_3drecon.final_layers.6.bias");
    }

    private void rejects(String g1, String g2, Consumer<Map<String, long[]>> mangle, String expected) {
        Map<String, long[]> s = g2 == null ? group(g1) : group(g1, g2);
        mangle.accept(s);
        StateDict dict = new ProceduralWeights("", s);
        CheckpointException e = assertThrows(CheckpointException.class, () -> {
            if (g1.equals("face_3drecon")) NetRecon.load(dict).close();
            else Audio2Coeff.load(dict).close();
        });
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(dict.source()), e.getMessage());
    }
}
