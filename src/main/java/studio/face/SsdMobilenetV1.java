package studio.face;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * face-api's SSD MobileNet v1 face detector ({@code ssdMobilenetv1/}): 512×512 input scaled to
 * -1..1, MobileNet v1 with ReLU6, six box predictors over 5118 anchors, sigmoid face score,
 * centre-size box decoding (variances 10, 10, 5, 5) and face-api's greedy NMS (IoU 0.5).
 */
final class SsdMobilenetV1 implements FaceDetector {
    static final String MODEL = "ssd_mobilenetv1_model";
    private static final int INPUT = 512;
    private static final float BN_EPS = 0.0010000000474974513f;

    private record Pointwise(NDArray weight, NDArray offset) {}

    private record Depthwise(NDArray weight, NDArray mul, NDArray add) {}

    private record Predictor(NDArray boxWeight, NDArray boxBias, NDArray classWeight, NDArray classBias) {}

    private final Pointwise conv0;
    private final Depthwise[] depthwise = new Depthwise[14];
    private final Pointwise[] pointwise = new Pointwise[14];
    private final Pointwise[] extra = new Pointwise[8];
    private final Predictor[] predictors = new Predictor[6];
    private final float[] anchors;
    private final double minConfidence;
    private final double iouThreshold = 0.5;
    private final int maxResults = 100;

    SsdMobilenetV1(Path dir, NDManager m, double minConfidence) {
        this.minConfidence = minConfidence;
        TfjsWeights w = TfjsWeights.open(dir, MODEL);
        conv0 = pointwise(w, "MobilenetV1/Conv2d_0_pointwise", m);
        for (int i = 1; i <= 13; i++) {
            String p = "MobilenetV1/Conv2d_" + i + "_depthwise/";
            float[] gamma = w.floats(p + "BatchNorm/gamma"), beta = w.floats(p + "BatchNorm/beta");
            float[] mean = w.floats(p + "BatchNorm/moving_mean"), var = w.floats(p + "BatchNorm/moving_variance");
            float[] mul = new float[gamma.length], add = new float[gamma.length];
            for (int c = 0; c < gamma.length; c++) {
                mul[c] = (float) (gamma[c] / Math.sqrt(var[c] + BN_EPS));
                add[c] = beta[c] - mean[c] * mul[c];
            }
            depthwise[i] = new Depthwise(
                    TfjsOps.depthwiseWeight(w, p + "depthwise_weights", m),
                    TfjsOps.channelVector(mul, m),
                    TfjsOps.channelVector(add, m));
            pointwise[i] = pointwise(w, "MobilenetV1/Conv2d_" + i + "_pointwise", m);
        }
        for (int i = 0; i < 8; i++) extra[i] = pointwise(w, "Prediction/Conv2d_" + i + "_pointwise", m);
        for (int i = 0; i < 6; i++) {
            String p = "Prediction/BoxPredictor_" + i + "/";
            predictors[i] = new Predictor(
                    TfjsOps.convWeight(w, p + "BoxEncodingPredictor/weights", m),
                    TfjsOps.channelVector(w, p + "BoxEncodingPredictor/biases", m),
                    TfjsOps.convWeight(w, p + "ClassPredictor/weights", m),
                    TfjsOps.channelVector(w, p + "ClassPredictor/biases", m));
        }
        anchors = w.floats("Output/extra_dim");
    }

    private static Pointwise pointwise(TfjsWeights w, String prefix, NDManager m) {
        return new Pointwise(
                TfjsOps.convWeight(w, prefix + "/weights", m),
                TfjsOps.channelVector(w, prefix + "/convolution_bn_offset", m));
    }

    private static NDArray apply(Pointwise p, NDArray x, int stride) {
        return TfjsOps.relu6(TfjsOps.convSame(x, p.weight, null, stride).add(p.offset));
    }

    private static int strideOf(int layer) {
        return layer == 2 || layer == 4 || layer == 6 || layer == 12 ? 2 : 1;
    }

    @Override
    public List<Face> detect(RgbImage img, NDManager scope) {
        float[] input = TfjsOps.batchInput(
                img, 0, 0, img.width(), img.height(), INPUT, false, new float[] {127.5f, 127.5f, 127.5f}, 1 / 127.5f);
        NDArray x = scope.create(input, new Shape(1, 3, INPUT, INPUT));
        NDArray out = apply(conv0, x, 2);
        NDArray conv11 = null;
        for (int i = 1; i <= 13; i++) {
            Depthwise d = depthwise[i];
            out = TfjsOps.relu6(
                    TfjsOps.depthwiseSame(out, d.weight, strideOf(i)).mul(d.mul).add(d.add));
            out = apply(pointwise[i], out, 1);
            if (i == 11) conv11 = out;
        }
        NDArray c0 = apply(extra[0], out, 1);
        NDArray c1 = apply(extra[1], c0, 2);
        NDArray c2 = apply(extra[2], c1, 1);
        NDArray c3 = apply(extra[3], c2, 2);
        NDArray c4 = apply(extra[4], c3, 1);
        NDArray c5 = apply(extra[5], c4, 2);
        NDArray c6 = apply(extra[6], c5, 1);
        NDArray c7 = apply(extra[7], c6, 2);
        NDArray[] features = {conv11, out, c1, c3, c5, c7};
        NDList boxes = new NDList(), classes = new NDList();
        for (int i = 0; i < 6; i++) {
            Predictor p = predictors[i];
            // NCHW -> NHWC so the anchor order matches TF's reshape of [1, H, W, A*4]
            boxes.add(TfjsOps.convSame(features[i], p.boxWeight, null, 1)
                    .add(p.boxBias)
                    .transpose(0, 2, 3, 1)
                    .reshape(-1, 4));
            classes.add(TfjsOps.convSame(features[i], p.classWeight, null, 1)
                    .add(p.classBias)
                    .transpose(0, 2, 3, 1)
                    .reshape(-1, 3));
        }
        float[] enc = NDArrays.concat(boxes).toFloatArray();
        float[] cls = NDArrays.concat(classes).toFloatArray();
        int n = anchors.length / 4;
        if (enc.length != 4 * n)
            throw new IllegalStateException("SSD produced " + enc.length / 4 + " boxes for " + n + " anchors");
        double[][] decoded = new double[n][];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            double a0 = anchors[4 * i], a1 = anchors[4 * i + 1], a2 = anchors[4 * i + 2], a3 = anchors[4 * i + 3];
            double size0 = a2 - a0, size1 = a3 - a1;
            double centre0 = a0 + size0 / 2, centre1 = a1 + size1 / 2;
            double half0 = Math.exp(enc[4 * i + 2] / 5.0) * size0 / 2;
            double mid0 = enc[4 * i] / 10.0 * size0 + centre0;
            double half1 = Math.exp(enc[4 * i + 3] / 5.0) * size1 / 2;
            double mid1 = enc[4 * i + 1] / 10.0 * size1 + centre1;
            decoded[i] = new double[] {mid0 - half0, mid1 - half1, mid0 + half0, mid1 + half1};
            scores[i] = 1 / (1 + Math.exp(-cls[3 * i + 1]));
        }
        List<Integer> picked = nonMaxSuppression(decoded, scores);
        // face-api: the box is relative to the padded square, undo the padding, then scale to pixels
        int side = Math.max(img.width(), img.height());
        double scale = (double) INPUT / side;
        double padX = INPUT / (double) Math.round(img.width() * scale);
        double padY = INPUT / (double) Math.round(img.height() * scale);
        List<Face> faces = new ArrayList<>();
        for (int idx : picked) {
            double[] b = decoded[idx];
            double top = Math.max(0, b[0]) * padY, bottom = Math.min(1.0, b[2]) * padY;
            double left = Math.max(0, b[1]) * padX, right = Math.min(1.0, b[3]) * padX;
            faces.add(new Face(
                    left * img.width(),
                    top * img.height(),
                    (right - left) * img.width(),
                    (bottom - top) * img.height(),
                    scores[idx],
                    null));
        }
        return faces;
    }

    /** face-api's {@code ssdMobilenetv1/nonMaxSuppression}: greedy, highest score first. */
    private List<Integer> nonMaxSuppression(double[][] boxes, double[] scores) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) if (scores[i] > minConfidence) candidates.add(i);
        candidates.sort(Comparator.comparingDouble((Integer i) -> -scores[i]));
        List<Integer> selected = new ArrayList<>();
        for (int c : candidates) {
            if (selected.size() >= Math.min(maxResults, boxes.length)) break;
            boolean keep = true;
            for (int j = selected.size() - 1; j >= 0; j--) {
                double iou = iou(boxes[c], boxes[selected.get(j)]);
                if (iou == 0) continue;
                if (iou > iouThreshold) {
                    keep = false;
                    break;
                }
            }
            if (keep) selected.add(c);
        }
        return selected;
    }

    private static double iou(double[] a, double[] b) {
        double aymin = Math.min(a[0], a[2]),
                axmin = Math.min(a[1], a[3]),
                aymax = Math.max(a[0], a[2]),
                axmax = Math.max(a[1], a[3]);
        double bymin = Math.min(b[0], b[2]),
                bxmin = Math.min(b[1], b[3]),
                bymax = Math.max(b[0], b[2]),
                bxmax = Math.max(b[1], b[3]);
        double areaA = (aymax - aymin) * (axmax - axmin), areaB = (bymax - bymin) * (bxmax - bxmin);
        if (areaA <= 0 || areaB <= 0) return 0;
        double inter = Math.max(Math.min(aymax, bymax) - Math.max(aymin, bymin), 0)
                * Math.max(Math.min(axmax, bxmax) - Math.max(axmin, bxmin), 0);
        return inter / (areaA + areaB - inter);
    }
}
