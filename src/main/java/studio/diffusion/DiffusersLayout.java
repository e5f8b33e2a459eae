package studio.diffusion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import studio.job.InputException;
import studio.weights.CheckpointException;
import studio.weights.SafeTensors;
import studio.weights.StateDict;
import studio.weights.TensorInfo;

/**
 * A diffusers model folder ({@code unet/}, {@code vae/}, {@code text_encoder/} with
 * {@code .safetensors} weights) seen under the single-file (CompVis) key names the networks read.
 * The renaming follows diffusers' {@code convert_diffusers_to_original_stable_diffusion.py}; VAE
 * attention projections stored as linear weights are presented as the 1×1 convolutions CompVis uses.
 */
public final class DiffusersLayout implements StateDict {
    private record Source(StateDict file, String key, long[] shape) {}

    private final String source;
    private final Map<String, Source> keys = new LinkedHashMap<>();
    private final List<StateDict> files = new ArrayList<>();

    private DiffusersLayout(Path folder) {
        this.source = folder.toString();
        add(open(folder, "unet", "diffusion_pytorch_model"), k -> UNet.PREFIX + unetKey(k));
        add(open(folder, "vae", "diffusion_pytorch_model"), k -> Autoencoder.PREFIX + vaeKey(k));
        add(
                open(folder, "text_encoder", "model"),
                k -> k.startsWith("text_model.") ? "cond_stage_model.transformer." + k : null);
    }

    /** Opens a diffusers folder (has {@code model_index.json} or the three sub-folders). */
    public static DiffusersLayout open(Path folder) {
        if (!Files.isDirectory(folder)) throw new InputException(folder, "not a folder");
        return new DiffusersLayout(folder);
    }

    public static boolean isDiffusersFolder(Path p) {
        return Files.isDirectory(p) && Files.isDirectory(p.resolve("unet"));
    }

    private StateDict open(Path folder, String sub, String stem) {
        Path f = folder.resolve(sub).resolve(stem + ".safetensors");
        if (!Files.isRegularFile(f)) f = folder.resolve(sub).resolve(stem + ".fp16.safetensors");
        if (!Files.isRegularFile(f))
            throw new CheckpointException(
                    folder.toString(),
                    "diffusers folder without " + sub + "/" + stem + ".safetensors (.bin weights are not read)");
        StateDict d = SafeTensors.open(f);
        files.add(d);
        return d;
    }

    private void add(StateDict file, UnaryOperator<String> rename) {
        for (String k : file.keys()) {
            String target = rename.apply(k);
            if (target == null) continue;
            long[] shape = file.info(k).shape();
            // CompVis VAE attention uses 1x1 convolutions where diffusers stores linear weights.
            if (target.startsWith(Autoencoder.PREFIX)
                    && target.contains(".attn_1.")
                    && target.endsWith(".weight")
                    && shape.length == 2) shape = new long[] {shape[0], shape[1], 1, 1};
            keys.put(target, new Source(file, k, shape));
        }
    }

    private static final Pattern DOWN_RES =
            Pattern.compile("^down_blocks\\.(\\d)\\.(resnets|attentions)\\.(\\d)\\.(.*)$");
    private static final Pattern UP_RES = Pattern.compile("^up_blocks\\.(\\d)\\.(resnets|attentions)\\.(\\d)\\.(.*)$");

    /** diffusers UNet2DConditionModel key → openaimodel key (without prefix). */
    static String unetKey(String k) {
        k = k.replace("time_embedding.linear_1.", "time_embed.0.").replace("time_embedding.linear_2.", "time_embed.2.");
        if (k.startsWith("conv_in.")) return "input_blocks.0.0." + k.substring(8);
        if (k.startsWith("conv_norm_out.")) return "out.0." + k.substring(14);
        if (k.startsWith("conv_out.")) return "out.2." + k.substring(9);
        Matcher m = DOWN_RES.matcher(k);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1)), j = Integer.parseInt(m.group(3));
            boolean res = m.group(2).equals("resnets");
            return "input_blocks." + (3 * i + j + 1) + "." + (res ? "0." + resnet(m.group(4)) : "1." + m.group(4));
        }
        m = Pattern.compile("^down_blocks\\.(\\d)\\.downsamplers\\.0\\.conv\\.(.*)$")
                .matcher(k);
        if (m.matches()) return "input_blocks." + (3 * (Integer.parseInt(m.group(1)) + 1)) + ".0.op." + m.group(2);
        m = Pattern.compile("^mid_block\\.(resnets|attentions)\\.(\\d)\\.(.*)$").matcher(k);
        if (m.matches()) {
            if (m.group(1).equals("attentions")) return "middle_block.1." + m.group(3);
            return "middle_block." + (2 * Integer.parseInt(m.group(2))) + "." + resnet(m.group(3));
        }
        m = UP_RES.matcher(k);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1)), j = Integer.parseInt(m.group(3));
            boolean res = m.group(2).equals("resnets");
            return "output_blocks." + (3 * i + j) + "." + (res ? "0." + resnet(m.group(4)) : "1." + m.group(4));
        }
        m = Pattern.compile("^up_blocks\\.(\\d)\\.upsamplers\\.0\\.(.*)$").matcher(k);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            return "output_blocks." + (3 * i + 2) + "." + (i == 0 ? 1 : 2) + "." + m.group(2);
        }
        return k;
    }

    private static String resnet(String rest) {
        return rest.replace("norm1.", "in_layers.0.")
                .replace("conv1.", "in_layers.2.")
                .replace("time_emb_proj.", "emb_layers.1.")
                .replace("norm2.", "out_layers.0.")
                .replace("conv2.", "out_layers.3.")
                .replace("conv_shortcut.", "skip_connection.");
    }

    /** diffusers AutoencoderKL key → CompVis autoencoder key (without prefix). */
    static String vaeKey(String k) {
        k = k.replace(".conv_norm_out.", ".norm_out.").replace("conv_shortcut.", "nin_shortcut.");
        Matcher m = Pattern.compile("^encoder\\.down_blocks\\.(\\d)\\.(resnets\\.(\\d)|downsamplers\\.0)\\.(.*)$")
                .matcher(k);
        if (m.matches())
            return "encoder.down." + m.group(1) + "." + (m.group(3) != null ? "block." + m.group(3) : "downsample")
                    + "." + m.group(4);
        m = Pattern.compile("^decoder\\.up_blocks\\.(\\d)\\.(resnets\\.(\\d)|upsamplers\\.0)\\.(.*)$")
                .matcher(k);
        if (m.matches())
            return "decoder.up." + (3 - Integer.parseInt(m.group(1))) + "."
                    + (m.group(3) != null ? "block." + m.group(3) : "upsample") + "." + m.group(4);
        m = Pattern.compile("^(encoder|decoder)\\.mid_block\\.(resnets\\.(\\d)|attentions\\.0)\\.(.*)$")
                .matcher(k);
        if (m.matches()) {
            String part = m.group(3) != null ? "block_" + (Integer.parseInt(m.group(3)) + 1) : "attn_1";
            String rest = m.group(4);
            if (m.group(3) == null)
                rest = rest.replace("group_norm.", "norm.")
                        .replace("to_q.", "q.")
                        .replace("to_k.", "k.")
                        .replace("to_v.", "v.")
                        .replace("to_out.0.", "proj_out.")
                        .replace("query.", "q.")
                        .replace("key.", "k.")
                        .replace("value.", "v.")
                        .replace("proj_attn.", "proj_out.");
            return m.group(1) + ".mid." + part + "." + rest;
        }
        return k;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Set<String> keys() {
        return keys.keySet();
    }

    @Override
    public TensorInfo info(String key) {
        Source s = keys.get(key);
        return s == null ? null : new TensorInfo(key, s.file().info(s.key()).dtype(), s.shape());
    }

    @Override
    public float[] floats(String key) {
        Source s = keys.get(key);
        if (s == null) throw new CheckpointException(source, "missing tensor '" + key + "'");
        return s.file().floats(s.key());
    }

    @Override
    public void close() {
        for (StateDict f : files) f.close();
    }
}
