package studio.diffusion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import studio.job.InputException;
import studio.weights.CheckpointException;
import studio.weights.Checkpoints;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;
import studio.weights.StateDict;
import studio.weights.WeightSchema;

/** Opening SD 1.x single-file checkpoints, and the procedural stand-in used by tests and benchmarks. */
public final class Sd15Checkpoint {
    private Sd15Checkpoint() {}

    /**
     * A single-file {@code .safetensors} checkpoint (fp32, fp16 or bf16) or a diffusers model folder,
     * checked to be an SD 1.x model, under the single-file key names.
     */
    public static StateDict open(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (DiffusersLayout.isDiffusersFolder(file)) return check(DiffusersLayout.open(file), file);
        if (!Files.isRegularFile(file)) throw new InputException(file, "checkpoint not found");
        if (name.endsWith(".ckpt")) { // torch.save({"state_dict": {...}, "global_step": ...}) as A1111 loads it
            StateDict all = Checkpoints.open(file);
            return check(all.contains(UNet.PREFIX + "input_blocks.0.0.weight") ? all : all.under("state_dict."), file);
        }
        return check(SafeTensors.open(file), file);
    }

    private static StateDict check(StateDict dict, Path file) {
        for (String key : new String[] {
            UNet.PREFIX + "input_blocks.0.0.weight",
            Autoencoder.PREFIX + "decoder.conv_in.weight",
            TextEncoder.PREFIX + "embeddings.token_embedding.weight"
        }) {
            if (!dict.contains(key)) {
                dict.close();
                throw new CheckpointException(
                        file.toString(), "not a Stable Diffusion 1.x single-file checkpoint (no tensor '" + key + "')");
            }
        }
        return dict;
    }

    /** Key → shape of the CLIP ViT-L/14 text tower as SD 1.x checkpoints store it. */
    public static Map<String, long[]> textEncoderShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        String p = TextEncoder.PREFIX;
        int w = TextEncoder.WIDTH;
        m.put(p + "embeddings.token_embedding.weight", new long[] {TextEncoder.VOCAB, w});
        m.put(p + "embeddings.position_embedding.weight", new long[] {TextEncoder.TOKENS, w});
        for (int i = 0; i < TextEncoder.LAYERS; i++) {
            String l = p + "encoder.layers." + i + ".";
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                m.put(l + "self_attn." + proj + ".weight", new long[] {w, w});
                m.put(l + "self_attn." + proj + ".bias", new long[] {w});
            }
            for (String ln : new String[] {"layer_norm1", "layer_norm2"}) {
                m.put(l + ln + ".weight", new long[] {w});
                m.put(l + ln + ".bias", new long[] {w});
            }
            m.put(l + "mlp.fc1.weight", new long[] {4L * w, w});
            m.put(l + "mlp.fc1.bias", new long[] {4L * w});
            m.put(l + "mlp.fc2.weight", new long[] {w, 4L * w});
            m.put(l + "mlp.fc2.bias", new long[] {w});
        }
        m.put(p + "final_layer_norm.weight", new long[] {w});
        m.put(p + "final_layer_norm.bias", new long[] {w});
        return m;
    }

    /**
     * Procedural weights (shared/golden rule) for a whole SD 1.x checkpoint: UNet and VAE keys from a
     * golden schema.json (every group), text encoder keys from {@link #textEncoderShapes()}.
     */
    public static ProceduralWeights procedural(Path schemaJson, String salt) {
        Map<String, long[]> shapes = new LinkedHashMap<>(WeightSchema.read(schemaJson));
        shapes.putAll(textEncoderShapes());
        return new ProceduralWeights(salt, shapes);
    }
}
