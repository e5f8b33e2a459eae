package studio.motion;

import org.junit.jupiter.api.Test;
import studio.golden.Golden;
import studio.nn.Compute;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;

/** The ResNet-50 3DMM regressor against Deep3DFaceRecon's output (shared/golden/sadtalker/net_recon). */
class NetReconGoldenTest {
    @Test
    void reproducesReferenceCoefficients() {
        try (SafeTensors g = Golden.open("sadtalker/net_recon.safetensors");
                NetRecon net = NetRecon.load(
                        new ProceduralWeights(Golden.salt(g), Golden.schema("sadtalker/schema.json", "face_3drecon")),
                        Golden.compute(Compute.Precision.FP32).device())) {
            float[] coeff = net.coefficients(g.floats("in.image"), 1);
            Golden.assertClose("coeff", g.floats("out.coeff"), coeff);
        }
    }
}
