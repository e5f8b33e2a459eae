package studio.diffusion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import studio.job.InputException;
import studio.weights.CheckpointException;
import studio.weights.SafeTensors;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/**
 * LoRA files as A1111 applies them to SD 1.x (kohya-ss layout: {@code lora_unet_*} and
 * {@code lora_te_*} modules with {@code lora_down}, {@code lora_up} and {@code alpha}), merged into
 * the weights at load: W += multiplier * alpha / rank * up · down. Module names may use diffusers
 * paths ({@code down_blocks_0_attentions_0_proj_in}) or CompVis ones ({@code input_blocks_1_1_proj_in});
 * transformer (attention, feed-forward, projections), text-encoder layers and, for LoCon files, the
 * convolutions of the residual blocks, down/upsamplers and the UNet's input/output convs (a conv
 * delta is up (out × rank) · down (rank × in·kh·kw), the same product over flattened kernels).
 * LyCORIS's CP-decomposed convs ({@code lora_mid}) are reported as not applied.
 */
public final class Lora {
    private static final Pattern TAG = Pattern.compile("<lora:([^:>]+)(?::([^:>]*))?>");

    /** A LoRA named in a prompt and its multiplier. */
    public record Use(String name, double multiplier) {}

    private Lora() {}

    /** The {@code <lora:name:weight>} tags of a prompt (weight 1 when omitted). */
    public static List<Use> tags(String prompt) {
        List<Use> out = new ArrayList<>();
        Matcher m = TAG.matcher(prompt);
        while (m.find()) {
            String w = m.group(2);
            try {
                out.add(new Use(m.group(1).strip(), w == null || w.isBlank() ? 1.0 : Double.parseDouble(w.strip())));
            } catch (NumberFormatException e) {
                throw new InputException(
                        "LoRA weight '" + w + "' in <lora:" + m.group(1) + ":" + w + "> is not a number");
            }
        }
        return out;
    }

    /** The prompt without its LoRA tags (what the text encoder sees). */
    public static String strip(String prompt) {
        return TAG.matcher(prompt).replaceAll("");
    }

    /** {@code <dir>/<name>.safetensors}, failing with a clear message when absent. */
    public static Path resolve(Path dir, String name) {
        if (dir == null) throw new InputException("the prompt uses <lora:" + name + "> but no LoRA folder was given");
        Path p = dir.resolve(name + ".safetensors");
        if (!Files.isRegularFile(p)) throw new InputException(p, "LoRA '" + name + "' not found");
        return p;
    }

    /** Checkpoint keys (weights) of the modules a LoRA may target, by kohya module name. */
    static Map<String, String> targets() {
        Map<String, String> m = new HashMap<>();
        String[] inner = {
            "proj_in",
            "proj_out",
            "transformer_blocks.0.attn1.to_q",
            "transformer_blocks.0.attn1.to_k",
            "transformer_blocks.0.attn1.to_v",
            "transformer_blocks.0.attn1.to_out.0",
            "transformer_blocks.0.attn2.to_q",
            "transformer_blocks.0.attn2.to_k",
            "transformer_blocks.0.attn2.to_v",
            "transformer_blocks.0.attn2.to_out.0",
            "transformer_blocks.0.ff.net.0.proj",
            "transformer_blocks.0.ff.net.2"
        };
        Map<String, String> blocks = new HashMap<>(); // diffusers path -> CompVis path
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
                blocks.put("down_blocks." + i + ".attentions." + j, "input_blocks." + (3 * i + j + 1) + ".1");
        for (int i = 1; i < 4; i++)
            for (int j = 0; j < 3; j++)
                blocks.put("up_blocks." + i + ".attentions." + j, "output_blocks." + (3 * i + j) + ".1");
        blocks.put("mid_block.attentions.0", "middle_block.1");
        for (var b : blocks.entrySet()) for (String in : inner) unet(m, b.getKey() + "." + in, b.getValue() + "." + in);
        // LoCon: residual blocks (diffusers conv1, conv2, time_emb_proj, conv_shortcut), resamplers, outer convs
        Map<String, String> resnets = new HashMap<>();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 2; j++)
                resnets.put("down_blocks." + i + ".resnets." + j, "input_blocks." + (3 * i + j + 1) + ".0");
        for (int k = 0; k < 2; k++) resnets.put("mid_block.resnets." + k, "middle_block." + 2 * k);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 3; j++)
                resnets.put("up_blocks." + i + ".resnets." + j, "output_blocks." + (3 * i + j) + ".0");
        String[][] resnetInner = {
            {"conv1", "in_layers.2"},
            {"conv2", "out_layers.3"},
            {"time_emb_proj", "emb_layers.1"},
            {"conv_shortcut", "skip_connection"}
        };
        for (var r : resnets.entrySet())
            for (String[] in : resnetInner) unet(m, r.getKey() + "." + in[0], r.getValue() + "." + in[1]);
        for (int i = 0; i < 3; i++) {
            unet(m, "down_blocks." + i + ".downsamplers.0.conv", "input_blocks." + (3 * i + 3) + ".0.op");
            unet(
                    m,
                    "up_blocks." + i + ".upsamplers.0.conv",
                    "output_blocks." + (3 * i + 2) + "." + (i == 0 ? 1 : 2) + ".conv");
        }
        unet(m, "conv_in", "input_blocks.0.0");
        unet(m, "conv_out", "out.2");
        unet(m, "time_embedding.linear_1", "time_embed.0");
        unet(m, "time_embedding.linear_2", "time_embed.2");
        for (int i = 0; i < TextEncoder.LAYERS; i++)
            for (String mod : new String[] {
                "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj", "mlp.fc1", "mlp.fc2"
            })
                m.put(
                        "lora_te_text_model_encoder_layers_" + i + "_" + mod.replace('.', '_'),
                        TextEncoder.PREFIX + "encoder.layers." + i + "." + mod + ".weight");
        return m;
    }

    /** A UNet module under both of its kohya names (diffusers and CompVis paths). */
    private static void unet(Map<String, String> m, String diffusers, String compVis) {
        String key = UNet.PREFIX + compVis + ".weight";
        m.put("lora_unet_" + diffusers.replace('.', '_'), key);
        m.put("lora_unet_" + compVis.replace('.', '_'), key);
    }

    /**
     * The checkpoint with LoRAs merged into its weights (computed when a weight is read).
     * {@code unmatched} receives the LoRA modules that target nothing this model supports.
     */
    public static StateDict apply(
            StateDict base, List<StateDict> loras, List<Double> multipliers, Set<String> unmatched) {
        Map<String, String> targets = targets();
        Map<String, List<Delta>> deltas = new HashMap<>();
        for (int l = 0; l < loras.size(); l++) {
            StateDict lora = loras.get(l);
            Set<String> modules = new LinkedHashSet<>();
            for (String k : lora.keys())
                if (k.endsWith(".lora_down.weight"))
                    modules.add(k.substring(0, k.length() - ".lora_down.weight".length()));
            if (modules.isEmpty())
                throw new CheckpointException(lora.source(), "not a LoRA file (no lora_down weights)");
            for (String mod : modules) {
                String target = targets.get(mod);
                if (target == null || !base.contains(target) || lora.contains(mod + ".lora_mid.weight")) {
                    unmatched.add(mod);
                    continue;
                }
                deltas.computeIfAbsent(target, k -> new ArrayList<>()).add(new Delta(lora, mod, multipliers.get(l)));
            }
        }
        return new StateDict() {
            @Override
            public String source() {
                return base.source() + " + " + loras.size() + " LoRA";
            }

            @Override
            public Set<String> keys() {
                return base.keys();
            }

            @Override
            public TensorInfo info(String key) {
                return base.info(key);
            }

            @Override
            public float[] floats(String key) {
                float[] w = base.floats(key);
                for (Delta d : deltas.getOrDefault(key, List.of())) d.addTo(w, base.require(key));
                return w;
            }
        };
    }

    private record Delta(StateDict lora, String module, double multiplier) {
        void addTo(float[] w, TensorInfo target) {
            if (multiplier == 0) return;
            TensorInfo down = lora.require(module + ".lora_down.weight"), up = lora.require(module + ".lora_up.weight");
            int rank = (int) down.shape()[0], in = (int) (down.elements() / rank), out = (int) up.shape()[0];
            if (up.elements() != (long) out * rank || (long) out * in != w.length)
                throw new CheckpointException(
                        lora.source(),
                        "LoRA module '" + module + "' (" + out + "x" + rank + " · " + rank + "x" + in
                                + ") does not fit " + target.name() + " " + target.shapeString());
            double alpha = lora.contains(module + ".alpha") ? lora.floats(module + ".alpha")[0] : rank;
            float[] d = lora.floats(module + ".lora_down.weight"), u = lora.floats(module + ".lora_up.weight");
            double scale = multiplier * alpha / rank;
            for (int o = 0; o < out; o++)
                for (int r = 0; r < rank; r++) {
                    float c = (float) (scale * u[o * rank + r]);
                    if (c == 0) continue;
                    int row = o * in, dr = r * in;
                    for (int i = 0; i < in; i++) w[row + i] += c * d[dr + i];
                }
        }
    }

    /** Opens the LoRA files a prompt names. */
    public static List<StateDict> open(Path dir, List<Use> uses) {
        List<StateDict> out = new ArrayList<>();
        for (Use u : uses) out.add(SafeTensors.open(resolve(dir, u.name())));
        return out;
    }
}
