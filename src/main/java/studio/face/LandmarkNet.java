package studio.face;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;

/**
 * face-api's 68-point landmark nets ({@code faceLandmarkNet/}, {@code faceFeatureExtractor/}): the
 * face box crop, centre-padded to a square and resized to 112, then dense blocks of separable
 * convolutions (4 blocks of 4 for the full net, 3 of 3 for the tiny one), average pooling and a
 * fully connected layer giving 68 (x, y) pairs relative to the padded crop.
 */
final class LandmarkNet {
    static final String MODEL = "face_landmark_68_model";
    static final String TINY_MODEL = "face_landmark_68_tiny_model";
    private static final int INPUT = 112;
    private static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};

    private record Separable(NDArray depthwise, NDArray pointwise, NDArray bias) {}

    private final NDArray firstWeight, firstBias, fcWeight, fcBias;
    private final Separable[][] blocks; // blocks[b][i]; blocks[0][0] is the plain first conv
    private final int convsPerBlock;

    LandmarkNet(Path dir, NDManager m, boolean tiny) {
        TfjsWeights w = TfjsWeights.open(dir, tiny ? TINY_MODEL : MODEL);
        int numBlocks = tiny ? 3 : 4;
        convsPerBlock = tiny ? 3 : 4;
        blocks = new Separable[numBlocks][convsPerBlock];
        firstWeight = TfjsOps.convWeight(w, "dense0/conv0/filters", m);
        firstBias = TfjsOps.channelVector(w, "dense0/conv0/bias", m);
        for (int b = 0; b < numBlocks; b++) {
            for (int i = 0; i < convsPerBlock; i++) {
                if (b == 0 && i == 0) continue;
                String p = "dense" + b + "/conv" + i + "/";
                blocks[b][i] = new Separable(
                        TfjsOps.depthwiseWeight(w, p + "depthwise_filter", m),
                        TfjsOps.convWeight(w, p + "pointwise_filter", m),
                        TfjsOps.channelVector(w, p + "bias", m));
            }
        }
        long[] fc = w.require("fc/weights").shape();
        fcWeight = m.create(w.floats("fc/weights"), new Shape(fc));
        fcBias = m.create(w.floats("fc/bias"), new Shape(1, fc[1]));
    }

    private static NDArray separable(Separable s, NDArray x, int stride) {
        NDArray d = TfjsOps.depthwiseSame(x, s.depthwise, stride);
        return TfjsOps.conv(d, s.pointwise, null, 1, 1).add(s.bias);
    }

    private NDArray denseBlock(int b, NDArray x) {
        NDArray out1 = b == 0
                ? TfjsOps.convSame(x, firstWeight, null, 2).add(firstBias).clip(0, Float.MAX_VALUE)
                : separable(blocks[b][0], x, 2).clip(0, Float.MAX_VALUE);
        NDArray sum = out1;
        for (int i = 1; i < convsPerBlock; i++) {
            NDArray in = i == 1 ? out1 : sum.clip(0, Float.MAX_VALUE);
            sum = sum.add(separable(blocks[b][i], in, 1));
        }
        return sum.clip(0, Float.MAX_VALUE);
    }

    /**
     * 68 landmarks in pixels of {@code img} for the face in {@code box} (x, y, width, height, in
     * pixels), following face-api's {@code extractFaceTensors} (box clipped to the image and
     * floored) and {@code FaceLandmark68NetBase.postProcess}; the points are shifted by the
     * unclipped box corner as face-api does.
     */
    double[] landmarks(RgbImage img, double bx, double by, double bw, double bh, NDManager scope) {
        double cx = Math.max(bx, 0), cy = Math.max(by, 0);
        double cw = Math.min(bx + bw - cx, img.width() - cx), ch = Math.min(by + bh - cy, img.height() - cy);
        int x0 = (int) Math.floor(cx), y0 = (int) Math.floor(cy), w = (int) Math.floor(cw), h = (int) Math.floor(ch);
        if (w <= 0 || h <= 0) return null;
        float[] input = TfjsOps.batchInput(img, x0, y0, w, h, INPUT, true, MEAN_RGB, 1 / 255f);
        NDArray x = scope.create(input, new Shape(1, 3, INPUT, INPUT));
        for (int b = 0; b < blocks.length; b++) x = denseBlock(b, x);
        int pool = (int) x.getShape().get(2);
        x = JniUtils.avgPool((PtNDArray) x, new Shape(pool, pool), new Shape(2, 2), new Shape(0, 0), false, true);
        float[] out = x.reshape(1, -1).matMul(fcWeight).add(fcBias).toFloatArray();

        double scale = (double) INPUT / Math.max(w, h);
        double sw = w * scale, sh = h * scale;
        double padX = sw < sh ? Math.abs(sw - sh) / 2 : 0, padY = sh < sw ? Math.abs(sw - sh) / 2 : 0;
        double[] points = new double[out.length];
        for (int i = 0; i < out.length; i += 2) {
            points[i] = (out[i] * INPUT - padX) / sw * w + bx;
            points[i + 1] = (out[i + 1] * INPUT - padY) / sh * h + by;
        }
        return points;
    }
}
