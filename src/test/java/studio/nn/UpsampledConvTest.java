package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import studio.golden.Golden;

/** The subpixel form must equal the plain conv over the nearest-upsampled input. */
class UpsampledConvTest {
    @Test
    void matchesConvolutionOfUpsampledInput() {
        Random r = new Random(3);
        int out = 5, in = 4;
        float[] w = new float[out * in * 9], b = new float[out], x = new float[2 * in * 7 * 6];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray input = m.create(x, new Shape(2, in, 7, 6));
            for (int factor : new int[] {2, 3, 4}) {
                NDArray expected = Layers.conv(
                        NearestUpsample.scale(input, factor),
                        m.create(w, new Shape(out, in, 3, 3)),
                        m.create(b),
                        1,
                        1,
                        1,
                        1);
                NDArray actual = new UpsampledConv(w, b, out, in, factor, m).apply(input);
                Golden.assertShape(
                        "factor " + factor,
                        expected.getShape().getShape(),
                        actual.getShape().getShape());
                Golden.assertClose("factor " + factor, expected.toFloatArray(), actual.toFloatArray(), 1e-5);
            }
        }
    }
}
