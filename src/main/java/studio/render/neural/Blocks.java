package studio.render.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import studio.nn.GridSample;

/** Small shared pieces of the face-render networks (first-order-motion / face-vid2vid blocks). */
final class Blocks {
    private Blocks() {}

    static NDArray relu(NDArray x) {
        return Activation.relu(x);
    }

    static NDArray leakyRelu(NDArray x, float slope) {
        return Activation.leakyRelu(x, slope);
    }

    /** 2 × 2 average pooling of the last two axes (nn.AvgPool2d(2) / nn.AvgPool3d((1, 2, 2))). */
    static NDArray avgPool2(NDArray x) {
        Shape kernel = x.getShape().dimension() == 5 ? new Shape(1, 2, 2) : new Shape(2, 2);
        Shape pad = x.getShape().dimension() == 5 ? new Shape(0, 0, 0) : new Shape(0, 0);
        return JniUtils.avgPool((PtNDArray) x, kernel, kernel, pad, false, true);
    }

    /** A 5-D NDArray prepared for {@link GridSample} once per clip (host copy on the CPU, kept on a GPU). */
    static GridSample.Volume volume(NDArray x) {
        return GridSample.Volume.of(x);
    }

    /**
     * SadTalker's make_coordinate_grid: a (d, h, w, 3) grid of (x, y, z) in [-1, 1], x along w,
     * computed in float32 the way the reference does (2 * (i / (n - 1)) - 1), row-major.
     */
    static float[] coordinateGrid(int d, int h, int w) {
        float[] g = new float[d * h * w * 3];
        int i = 0;
        for (int z = 0; z < d; z++) {
            float zz = 2f * ((float) z / (float) (d - 1)) - 1f;
            for (int y = 0; y < h; y++) {
                float yy = 2f * ((float) y / (float) (h - 1)) - 1f;
                for (int x = 0; x < w; x++) {
                    g[i++] = 2f * ((float) x / (float) (w - 1)) - 1f;
                    g[i++] = yy;
                    g[i++] = zz;
                }
            }
        }
        return g;
    }
}
