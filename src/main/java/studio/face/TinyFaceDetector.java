package studio.face;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * face-api's tiny face detector ({@code tinyFaceDetector/}, a Tiny-YOLOv2 with separable
 * convolutions): input 416 (any multiple of 32), mean-subtracted and divided by 255, 13×13 cells
 * with 5 anchors, sigmoid objectness, and face-api's NMS at IoU 0.4.
 */
final class TinyFaceDetector implements FaceDetector {
    static final String MODEL = "tiny_face_detector_model";
    private static final float[] MEAN_RGB = {117.001f, 114.697f, 97.404f};
    private static final double[][] ANCHORS = {
        {1.603231, 2.094468}, {6.041143, 7.080126}, {2.882459, 3.518061}, {4.266906, 5.178857}, {9.041765, 10.66308}
    };
    private static final double IOU_THRESHOLD = 0.4;

    private record Separable(NDArray depthwise, NDArray pointwise, NDArray bias) {}

    private final NDArray conv0Weight, conv0Bias, conv8Weight, conv8Bias;
    private final Separable[] separable = new Separable[6];
    private final int inputSize;
    private final double scoreThreshold;

    TinyFaceDetector(Path dir, NDManager m, int inputSize, double scoreThreshold) {
        if (inputSize % 32 != 0) throw new IllegalArgumentException("input size must be a multiple of 32");
        this.inputSize = inputSize;
        this.scoreThreshold = scoreThreshold;
        TfjsWeights w = TfjsWeights.open(dir, MODEL);
        conv0Weight = TfjsOps.convWeight(w, "conv0/filters", m);
        conv0Bias = TfjsOps.channelVector(w, "conv0/bias", m);
        for (int i = 1; i <= 5; i++) {
            separable[i] = new Separable(
                    TfjsOps.depthwiseWeight(w, "conv" + i + "/depthwise_filter", m),
                    TfjsOps.convWeight(w, "conv" + i + "/pointwise_filter", m),
                    TfjsOps.channelVector(w, "conv" + i + "/bias", m));
        }
        conv8Weight = TfjsOps.convWeight(w, "conv8/filters", m);
        conv8Bias = TfjsOps.channelVector(w, "conv8/bias", m);
    }

    private static NDArray leaky(NDArray x) {
        return Activation.leakyRelu(x, 0.1f);
    }

    private static NDArray separable(Separable s, NDArray x) {
        NDArray p = JniUtils.pad((PtNDArray) x, new long[] {1, 1, 1, 1}, 0);
        NDArray d = TfjsOps.conv(
                p, s.depthwise, null, 1, (int) s.depthwise.getShape().get(0));
        return leaky(TfjsOps.conv(d, s.pointwise, null, 1, 1).add(s.bias));
    }

    @Override
    public List<Face> detect(RgbImage img, NDManager scope) {
        float[] input = TfjsOps.batchInput(img, 0, 0, img.width(), img.height(), inputSize, false, MEAN_RGB, 1 / 255f);
        NDArray x = scope.create(input, new Shape(1, 3, inputSize, inputSize));
        NDArray out = leaky(TfjsOps.conv(x, conv0Weight, null, 1, 1).add(conv0Bias)); // 'valid' as face-api
        for (int i = 1; i <= 5; i++) {
            out = TfjsOps.maxPoolSame(out, 2, 2);
            out = separable(separable[i], out);
        }
        out = TfjsOps.maxPoolSame(out, 2, 1);
        out = TfjsOps.conv(out, conv8Weight, null, 1, 1).add(conv8Bias);
        int cells = (int) out.getShape().get(2);
        float[] raw = out.toFloatArray(); // [25, cells, cells]: channel = anchor * 5 + k

        // face-api's extractBoxes: coordinates relative to the unpadded image
        int side = Math.max(img.width(), img.height());
        double scale = (double) inputSize / side;
        long rw = Math.round(img.width() * scale), rh = Math.round(img.height() * scale);
        double blob = Math.max(rw, rh);
        double corrX = blob / rw, corrY = blob / rh;
        List<double[]> boxes = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        int plane = cells * cells;
        for (int row = 0; row < cells; row++) {
            for (int col = 0; col < cells; col++) {
                for (int a = 0; a < ANCHORS.length; a++) {
                    int base = a * 5 * plane + row * cells + col;
                    double score = sigmoid(raw[base + 4 * plane]);
                    if (score <= scoreThreshold) continue;
                    double cx = (col + sigmoid(raw[base])) / cells * corrX;
                    double cy = (row + sigmoid(raw[base + plane])) / cells * corrY;
                    double bw = Math.exp(raw[base + 2 * plane]) * ANCHORS[a][0] / cells * corrX;
                    double bh = Math.exp(raw[base + 3 * plane]) * ANCHORS[a][1] / cells * corrY;
                    boxes.add(new double[] {cx - bw / 2, cy - bh / 2, bw, bh});
                    scores.add(score);
                }
            }
        }
        List<Face> faces = new ArrayList<>();
        for (int idx : nonMaxSuppression(boxes, scores)) {
            double[] b = boxes.get(idx);
            faces.add(new Face(
                    b[0] * img.width(),
                    b[1] * img.height(),
                    b[2] * img.width(),
                    b[3] * img.height(),
                    scores.get(idx),
                    null));
        }
        return faces;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** face-api's {@code ops/nonMaxSuppression} on the boxes scaled to the input size. */
    private List<Integer> nonMaxSuppression(List<double[]> boxes, List<Double> scores) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) order.add(i);
        order.sort(Comparator.comparingDouble(scores::get)); // ascending; the best is taken from the end
        List<Integer> pick = new ArrayList<>();
        while (!order.isEmpty()) {
            int current = order.removeLast();
            pick.add(current);
            double[] c = boxes.get(current);
            order.removeIf(i -> iou(c, boxes.get(i)) > IOU_THRESHOLD);
        }
        return pick;
    }

    private static double iou(double[] a, double[] b) {
        double w = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
        double h = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
        double inter = w * h;
        return inter / (a[2] * a[3] + b[2] * b[3] - inter);
    }
}
