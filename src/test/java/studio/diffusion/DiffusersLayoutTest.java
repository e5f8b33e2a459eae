package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import studio.golden.Golden;

/**
 * The diffusers → single-file renaming is a bijection onto the SD 1.x keys: every key of a diffusers
 * UNet and VAE (enumerated here from diffusers' block structure) lands on exactly the keys of the
 * golden schema.
 */
class DiffusersLayoutTest {
    private static void wb(List<String> out, String p) {
        out.add(p + ".weight");
        out.add(p + ".bias");
    }

    private static void resnet(List<String> out, String p, boolean time, boolean shortcut) {
        for (String n : new String[] {"norm1", "conv1", "norm2", "conv2"}) wb(out, p + "." + n);
        if (time) wb(out, p + ".time_emb_proj");
        if (shortcut) wb(out, p + ".conv_shortcut");
    }

    private static void transformer(List<String> out, String p) {
        wb(out, p + ".norm");
        wb(out, p + ".proj_in");
        wb(out, p + ".proj_out");
        String b = p + ".transformer_blocks.0";
        for (String a : new String[] {"attn1", "attn2"}) {
            for (String q : new String[] {"to_q", "to_k", "to_v"}) out.add(b + "." + a + "." + q + ".weight");
            wb(out, b + "." + a + ".to_out.0");
        }
        wb(out, b + ".ff.net.0.proj");
        wb(out, b + ".ff.net.2");
        for (String n : new String[] {"norm1", "norm2", "norm3"}) wb(out, b + "." + n);
    }

    @Test
    void unetKeysMapOntoTheCheckpointKeys() {
        List<String> d = new ArrayList<>();
        wb(d, "time_embedding.linear_1");
        wb(d, "time_embedding.linear_2");
        wb(d, "conv_in");
        wb(d, "conv_norm_out");
        wb(d, "conv_out");
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                resnet(d, "down_blocks." + i + ".resnets." + j, true, j == 0 && (i == 1 || i == 2));
                if (i < 3) transformer(d, "down_blocks." + i + ".attentions." + j);
            }
            if (i < 3) wb(d, "down_blocks." + i + ".downsamplers.0.conv");
        }
        resnet(d, "mid_block.resnets.0", true, false);
        transformer(d, "mid_block.attentions.0");
        resnet(d, "mid_block.resnets.1", true, false);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                resnet(d, "up_blocks." + i + ".resnets." + j, true, true);
                if (i > 0) transformer(d, "up_blocks." + i + ".attentions." + j);
            }
            if (i < 3) wb(d, "up_blocks." + i + ".upsamplers.0.conv");
        }
        Set<String> mapped = new TreeSet<>();
        for (String k : d) mapped.add(UNet.PREFIX + DiffusersLayout.unetKey(k));
        assertEquals(d.size(), mapped.size(), "no two diffusers keys on one checkpoint key");
        assertEquals(new TreeSet<>(Golden.schema("sd15/schema.json", "unet").keySet()), mapped);
    }

    @Test
    void vaeKeysMapOntoTheCheckpointKeys() {
        List<String> d = new ArrayList<>();
        wb(d, "encoder.conv_in");
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++)
                resnet(d, "encoder.down_blocks." + i + ".resnets." + j, false, j == 0 && (i == 1 || i == 2));
            if (i < 3) wb(d, "encoder.down_blocks." + i + ".downsamplers.0.conv");
        }
        wb(d, "decoder.conv_in");
        for (String side : new String[] {"encoder", "decoder"}) {
            resnet(d, side + ".mid_block.resnets.0", false, false);
            resnet(d, side + ".mid_block.resnets.1", false, false);
            for (String n : new String[] {"group_norm", "to_q", "to_k", "to_v", "to_out.0"})
                wb(d, side + ".mid_block.attentions.0." + n);
            wb(d, side + ".conv_norm_out");
            wb(d, side + ".conv_out");
        }
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++)
                resnet(d, "decoder.up_blocks." + i + ".resnets." + j, false, j == 0 && (i == 2 || i == 3));
            if (i < 3) wb(d, "decoder.up_blocks." + i + ".upsamplers.0.conv");
        }
        wb(d, "quant_conv");
        wb(d, "post_quant_conv");
        Set<String> mapped = new TreeSet<>();
        for (String k : d) mapped.add(Autoencoder.PREFIX + DiffusersLayout.vaeKey(k));
        assertEquals(d.size(), mapped.size());
        Set<String> expected = new TreeSet<>();
        for (String g : new String[] {"vae_encoder", "vae_decoder", "vae_quant_conv", "vae_post_quant_conv"})
            expected.addAll(Golden.schema("sd15/schema.json", g).keySet());
        assertEquals(expected, mapped);
    }
}
