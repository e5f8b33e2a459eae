package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.golden.Golden;
import studio.job.InputException;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;
import studio.weights.StateDict;
import studio.weights.WeightSchema;

/** LoRA merging against W + m * alpha / rank * up · down computed here, kohya module names, prompt tags. */
class LoraTest {
    @TempDir
    Path dir;

    /** Writes a float32 safetensors file (test fixture writer). */
    static Path write(Path file, Map<String, long[]> shapes, Map<String, float[]> data) throws IOException {
        StringBuilder h = new StringBuilder("{");
        long off = 0;
        for (var e : shapes.entrySet()) {
            long n = data.get(e.getKey()).length * 4L;
            if (h.length() > 1) h.append(',');
            h.append('"')
                    .append(e.getKey())
                    .append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(Arrays.toString(e.getValue()).replace(" ", ""))
                    .append(",\"data_offsets\":[")
                    .append(off)
                    .append(',')
                    .append(off + n)
                    .append("]}");
            off += n;
        }
        h.append('}');
        while ((h.length() + 8) % 8 != 0) h.append(' ');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate((int) (8 + header.length + off)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        for (String k : shapes.keySet()) for (float f : data.get(k)) b.putFloat(f);
        Files.write(file, b.array());
        return file;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    @Test
    void kohyaNamesMapToCheckpointKeys() {
        Map<String, String> t = Lora.targets();
        assertEquals(
                UNet.PREFIX + "input_blocks.1.1.proj_in.weight", t.get("lora_unet_down_blocks_0_attentions_0_proj_in"));
        assertEquals(
                UNet.PREFIX + "input_blocks.8.1.transformer_blocks.0.attn1.to_q.weight",
                t.get("lora_unet_down_blocks_2_attentions_1_transformer_blocks_0_attn1_to_q"));
        assertEquals(
                UNet.PREFIX + "output_blocks.11.1.transformer_blocks.0.attn2.to_k.weight",
                t.get("lora_unet_up_blocks_3_attentions_2_transformer_blocks_0_attn2_to_k"));
        assertEquals(
                UNet.PREFIX + "middle_block.1.transformer_blocks.0.ff.net.0.proj.weight",
                t.get("lora_unet_mid_block_attentions_0_transformer_blocks_0_ff_net_0_proj"));
        assertEquals(UNet.PREFIX + "output_blocks.3.1.proj_out.weight", t.get("lora_unet_output_blocks_3_1_proj_out"));
        assertEquals(
                TextEncoder.PREFIX + "encoder.layers.11.mlp.fc2.weight",
                t.get("lora_te_text_model_encoder_layers_11_mlp_fc2"));
    }

    @Test
    void mergesUpTimesDownScaledByAlphaOverRank() throws IOException {
        String conv = UNet.PREFIX + "input_blocks.1.1.proj_in.weight",
                q = TextEncoder.PREFIX + "encoder.layers.0.self_attn.q_proj.weight";
        Map<String, long[]> baseShapes = new LinkedHashMap<>();
        baseShapes.put(conv, new long[] {320, 320, 1, 1});
        baseShapes.put(q, new long[] {768, 768});
        StateDict base = new ProceduralWeights("", baseShapes);
        int rank = 4;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> data = new LinkedHashMap<>();
        String m1 = "lora_unet_down_blocks_0_attentions_0_proj_in",
                m2 = "lora_te_text_model_encoder_layers_0_self_attn_q_proj";
        shapes.put(m1 + ".lora_down.weight", new long[] {rank, 320, 1, 1});
        data.put(m1 + ".lora_down.weight", random(rank * 320, 1));
        shapes.put(m1 + ".lora_up.weight", new long[] {320, rank, 1, 1});
        data.put(m1 + ".lora_up.weight", random(320 * rank, 2));
        shapes.put(m1 + ".alpha", new long[] {});
        data.put(m1 + ".alpha", new float[] {2});
        shapes.put(m2 + ".lora_down.weight", new long[] {rank, 768});
        data.put(m2 + ".lora_down.weight", random(rank * 768, 3));
        shapes.put(m2 + ".lora_up.weight", new long[] {768, rank});
        data.put(m2 + ".lora_up.weight", random(768 * rank, 4));
        shapes.put("lora_unet_conv_in.lora_down.weight", new long[] {rank, 36});
        data.put("lora_unet_conv_in.lora_down.weight", random(rank * 36, 5));
        shapes.put("lora_unet_conv_in.lora_up.weight", new long[] {320, rank});
        data.put("lora_unet_conv_in.lora_up.weight", random(320 * rank, 6));
        try (SafeTensors lora = SafeTensors.open(write(dir.resolve("style.safetensors"), shapes, data))) {
            Set<String> unmatched = new TreeSet<>();
            StateDict zero = Lora.apply(base, List.of(lora), List.of(0.0), unmatched);
            assertArrayEquals(base.floats(conv), zero.floats(conv), "weight 0 changes nothing");
            assertArrayEquals(base.floats(q), zero.floats(q));
            assertEquals(Set.of("lora_unet_conv_in"), unmatched);

            StateDict merged = Lora.apply(base, List.of(lora), List.of(0.8), new TreeSet<>());
            check(
                    base.floats(conv),
                    merged.floats(conv),
                    data.get(m1 + ".lora_up.weight"),
                    data.get(m1 + ".lora_down.weight"),
                    320,
                    320,
                    rank,
                    0.8 * 2 / rank);
            check(
                    base.floats(q),
                    merged.floats(q),
                    data.get(m2 + ".lora_up.weight"),
                    data.get(m2 + ".lora_down.weight"),
                    768,
                    768,
                    rank,
                    0.8); // no alpha: alpha = rank
        }
    }

    /** LoCon: a 3×3 residual-block conv takes up · down over flattened kernels; CP-decomposed (lora_mid) modules are reported. */
    @Test
    void loconMergesIntoResidualConvs() throws IOException {
        String key = UNet.PREFIX + "input_blocks.4.0.in_layers.2.weight";
        StateDict base = new ProceduralWeights("", Map.of(key, new long[] {640, 320, 3, 3}));
        int rank = 8, in = 320 * 9;
        String mod = "lora_unet_down_blocks_1_resnets_0_conv1", cp = "lora_unet_down_blocks_1_resnets_0_conv2";
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> data = new LinkedHashMap<>();
        shapes.put(mod + ".lora_down.weight", new long[] {rank, 320, 3, 3});
        data.put(mod + ".lora_down.weight", random(rank * in, 7));
        shapes.put(mod + ".lora_up.weight", new long[] {640, rank, 1, 1});
        data.put(mod + ".lora_up.weight", random(640 * rank, 8));
        shapes.put(mod + ".alpha", new long[] {});
        data.put(mod + ".alpha", new float[] {4});
        shapes.put(cp + ".lora_down.weight", new long[] {rank, 640, 1, 1});
        data.put(cp + ".lora_down.weight", random(rank * 640, 9));
        shapes.put(cp + ".lora_mid.weight", new long[] {rank, rank, 3, 3});
        data.put(cp + ".lora_mid.weight", random(rank * rank * 9, 10));
        shapes.put(cp + ".lora_up.weight", new long[] {640, rank, 1, 1});
        data.put(cp + ".lora_up.weight", random(640 * rank, 11));
        try (SafeTensors lora = SafeTensors.open(write(dir.resolve("locon.safetensors"), shapes, data))) {
            Set<String> unmatched = new TreeSet<>();
            StateDict merged = Lora.apply(base, List.of(lora), List.of(0.5), unmatched);
            check(
                    base.floats(key),
                    merged.floats(key),
                    data.get(mod + ".lora_up.weight"),
                    data.get(mod + ".lora_down.weight"),
                    640,
                    in,
                    rank,
                    0.5 * 4 / rank);
            assertEquals(Set.of(cp), unmatched, "CP-decomposed convs are reported, not misapplied");
        }
    }

    /**
     * Every UNet module a LoRA may name is a weight of the SD 1.x UNet (the golden schema's key list),
     * except the shortcut convs of residual blocks that keep their channel count (they have none).
     */
    @Test
    void everyUnetTargetExists() {
        Path schema = Golden.require("sd15/schema.json");
        Set<String> keys = WeightSchema.read(schema, "unet").keySet();
        Map<String, String> targets = Lora.targets();
        long unet = 0;
        for (var t : targets.entrySet())
            if (t.getKey().startsWith("lora_unet_") && !t.getValue().endsWith(".skip_connection.weight")) {
                unet++;
                assertEquals(true, keys.contains(t.getValue()), t.getKey() + " -> " + t.getValue());
            }
        for (String k : keys)
            if (k.endsWith(".skip_connection.weight"))
                assertEquals(true, targets.containsValue(k), "no LoRA name for " + k);
        assertEquals(true, unet > 400, unet + " UNet modules");
        assertEquals(
                UNet.PREFIX + "output_blocks.2.1.conv.weight", targets.get("lora_unet_up_blocks_0_upsamplers_0_conv"));
        assertEquals(
                UNet.PREFIX + "output_blocks.7.0.skip_connection.weight",
                targets.get("lora_unet_up_blocks_2_resnets_1_conv_shortcut"));
        assertEquals(UNet.PREFIX + "input_blocks.6.0.op.weight", targets.get("lora_unet_input_blocks_6_0_op"));
    }

    private static void check(
            float[] w, float[] merged, float[] up, float[] down, int out, int in, int rank, double scale) {
        for (int o = 0; o < out; o += 37)
            for (int i = 0; i < in; i += 11) {
                double d = 0;
                for (int r = 0; r < rank; r++) d += up[o * rank + r] * (double) down[r * in + i];
                assertEquals(w[o * in + i] + scale * d, merged[o * in + i], 1e-4);
            }
    }

    @Test
    void promptTags() {
        assertEquals(
                List.of(new Lora.Use("film grain", 0.8), new Lora.Use("x", 1.0)),
                Lora.tags("a face <lora:film grain:0.8>, smile <lora:x>"));
        assertEquals("a face , smile ", Lora.strip("a face <lora:film grain:0.8>, smile <lora:x>"));
        assertThrows(InputException.class, () -> Lora.tags("<lora:x:heavy>"));
        assertThrows(InputException.class, () -> Lora.resolve(dir, "missing"));
    }
}
