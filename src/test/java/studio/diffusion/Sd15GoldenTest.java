package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.golden.Golden;
import studio.nn.Compute;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;

/**
 * The full-size SD 1.x UNet and autoencoder against CompVis/stable-diffusion run on the same
 * procedural weights (shared/golden/sd15): noise prediction, VAE decode and VAE encode.
 */
class Sd15GoldenTest {
    private static final String FILE = "sd15/sd15_unet_vae.safetensors", SCHEMA = "sd15/schema.json";
    private static SafeTensors golden;
    private static ProceduralWeights weights;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        golden = Golden.open(FILE);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String g : new String[] {"unet", "vae_decoder", "vae_encoder", "vae_quant_conv", "vae_post_quant_conv"})
            shapes.putAll(Golden.schema(SCHEMA, g));
        weights = new ProceduralWeights(Golden.salt(golden), shapes);
        manager = Golden.compute(Compute.Precision.FP32).newManager();
    }

    @AfterAll
    static void close() {
        if (manager != null) manager.close();
        if (golden != null) golden.close();
    }

    private static NDArray input(NDManager m, String key) {
        return m.create(golden.floats(key), new Shape(golden.info(key).shape()));
    }

    @Test
    void unetPredictsTheReferenceNoise() {
        try (UNet unet = UNet.load(weights, manager)) {
            int held = manager.getManagedArrays().size();
            try (NDManager m = manager.newSubManager()) {
                assertEquals(
                        new TreeSet<>(Golden.schema(SCHEMA, "unet").keySet()),
                        new TreeSet<>(unet.loadedKeys()),
                        "every UNet key of the schema is read, and nothing else");
                long[] ts = golden.longs("in.timesteps");
                float[] t = new float[ts.length];
                for (int i = 0; i < t.length; i++) t[i] = ts[i];
                NDArray eps = unet.forward(input(m, "in.latent"), t, input(m, "in.context"));
                Golden.assertShape(
                        "eps", golden.info("out.eps").shape(), eps.getShape().getShape());
                Golden.assertClose("out.eps", golden.floats("out.eps"), eps.toFloatArray());
            }
            assertEquals(held, manager.getManagedArrays().size(), "arrays left beside the weights by a UNet step");
        }
    }

    @Test
    void vaeDecodesAndEncodesAsTheReference() {
        try (Autoencoder vae = Autoencoder.load(weights, manager)) {
            int held = manager.getManagedArrays().size();
            decodeAndEncode(vae);
            assertEquals(held, manager.getManagedArrays().size(), "arrays left beside the weights by the VAE");
        }
    }

    private void decodeAndEncode(Autoencoder vae) {
        try (NDManager m = manager.newSubManager()) {
            Set<String> expected = new TreeSet<>();
            for (String g : new String[] {"vae_decoder", "vae_encoder", "vae_quant_conv", "vae_post_quant_conv"})
                expected.addAll(Golden.schema(SCHEMA, g).keySet());
            assertEquals(
                    expected, new TreeSet<>(vae.loadedKeys()), "every VAE key of the schema is read, and nothing else");

            NDArray rgb = vae.decode(input(m, "in.vae_latent"));
            Golden.assertShape(
                    "vae_rgb",
                    golden.info("out.vae_rgb").shape(),
                    rgb.getShape().getShape());
            Golden.assertClose("out.vae_rgb", golden.floats("out.vae_rgb"), rgb.toFloatArray());

            NDArray moments = vae.moments(input(m, "in.vae_image"));
            Golden.assertShape(
                    "vae_moments",
                    golden.info("out.vae_moments").shape(),
                    moments.getShape().getShape());
            Golden.assertClose("out.vae_moments", golden.floats("out.vae_moments"), moments.toFloatArray());
        }
    }
}
