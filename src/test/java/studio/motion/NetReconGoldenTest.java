package studio.motion;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import studio.golden.Golden;
import studio.nn.Autocast;
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

    /**
     * Under bf16 autocast (the CPU's AMX path) the 257 coefficients keep their direction: cosine ≥
     * 0.999, relative RMS ≤ 4%, the bound DiffusionHalfGoldenTest derives for bf16's 8-bit mantissa.
     */
    @ParameterizedTest
    @EnumSource(
            value = Compute.Precision.class,
            names = {"FP16", "BF16"})
    void reducedPrecisionCoefficientsStayWithinBound(Compute.Precision precision) {
        try (SafeTensors g = Golden.open("sadtalker/net_recon.safetensors");
                NetRecon net = NetRecon.load(
                        new ProceduralWeights(Golden.salt(g), Golden.schema("sadtalker/schema.json", "face_3drecon")),
                        Golden.compute(precision).device());
                Autocast.Scope cast = Autocast.enter(precision)) {
            float[] coeff = net.coefficients(g.floats("in.image"), 1);
            float[] expected = g.floats("out.coeff");
            Golden.assertDirection("net_recon coeff", expected, coeff, precision);
        }
    }
}
