package studio.motion;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import studio.nn.Conv;
import studio.nn.Params;
import studio.nn.TorchEngine;
import studio.weights.StateDict;

/**
 * The 3DMM reconstruction network of Deep3DFaceRecon as SadTalker uses it
 * (face3d/models/networks.py ReconNetWrapper): a torchvision ResNet-50 without its classifier,
 * followed by seven 1x1 convolutions giving the 257 coefficients (identity 80, expression 64,
 * texture 80, angles 3, lighting 27, translation 3). Keys under {@code face_3drecon.}. Input: the
 * face aligned to 224 x 224 (see {@link Face3dAlignment}), RGB in [0, 1].
 */
public final class NetRecon implements AutoCloseable {
    public static final int SIZE = 224;
    public static final int COEFFS = 257;
    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int[] HEADS = {80, 64, 80, 3, 27, 2, 1};

    private record Bottleneck(Conv conv1, Conv conv2, Conv conv3, Conv downsample) {
        NDArray forward(NDArray x) {
            NDArray h = Activation.relu(conv1.apply(x));
            h = Activation.relu(conv2.apply(h));
            h = conv3.apply(h);
            return Activation.relu(h.add(downsample == null ? x : downsample.apply(x)));
        }
    }

    private final NDManager manager;
    private final Conv stem;
    private final List<Bottleneck> blocks = new ArrayList<>();
    private final Conv head; // 257 x 2048 x 1 x 1: the seven heads stacked in output order

    private NetRecon(StateDict dict, Device device) {
        manager = TorchEngine.engine().newBaseManager(device);
        try {
            Params root = Params.collecting(dict, manager, "face_3drecon.");
            Params w = root.sub("backbone");
            stem = Conv.load2d(w.sub("conv1"), w.sub("bn1"), 64, 3, 7, false, 2, 3);
            int in = 64;
            for (int layer = 0; layer < 4; layer++) {
                int width = 64 << layer, out = width * 4;
                for (int b = 0; b < BLOCKS[layer]; b++) {
                    Params bw = w.sub("layer" + (layer + 1) + "." + b);
                    int stride = b == 0 && layer > 0 ? 2 : 1;
                    Conv c1 = Conv.load2d(bw.sub("conv1"), bw.sub("bn1"), width, in, 1, false, 1, 0);
                    Conv c2 = Conv.load2d(bw.sub("conv2"), bw.sub("bn2"), width, width, 3, false, stride, 1);
                    Conv c3 = Conv.load2d(bw.sub("conv3"), bw.sub("bn3"), out, width, 1, false, 1, 0);
                    Conv ds = b == 0
                            ? Conv.load2d(bw.sub("downsample.0"), bw.sub("downsample.1"), out, in, 1, false, stride, 0)
                            : null;
                    blocks.add(new Bottleneck(c1, c2, c3, ds));
                    in = out;
                }
            }
            Conv[] heads = new Conv[HEADS.length];
            for (int i = 0; i < HEADS.length; i++)
                heads[i] = Conv.load2d(root.sub("final_layers." + i), 2048, HEADS[i], 1, 1, 0);
            head = Conv.concat(heads);
            root.finish("face_3drecon (3DMM reconstruction ResNet-50)", "face_3drecon.", Params::isBookkeeping);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads and checks the {@code face_3drecon.*} tensors of a SadTalker checkpoint. */
    public static NetRecon load(StateDict dict) {
        return new NetRecon(dict, Device.cpu());
    }

    /** As {@link #load(StateDict)} with the network on {@code device}. */
    public static NetRecon load(StateDict dict, Device device) {
        return new NetRecon(dict, device);
    }

    /**
     * @param images N x 3 x 224 x 224 RGB in [0, 1], row-major
     * @return N x 257 coefficients
     */
    public float[] coefficients(float[] images, int n) {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(images, new Shape(n, 3, SIZE, SIZE));
            x = Activation.relu(stem.apply(x));
            x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
            for (Bottleneck b : blocks) x = b.forward(x);
            x = x.reshape(n, 2048, -1)
                    .mean(new int[] {2}, true)
                    .reshape(n, 2048, 1, 1); // adaptive average pool to 1 x 1
            NDArray y = head.apply(x);
            return y.reshape(n, COEFFS).toFloatArray();
        }
    }

    /** The 70 motion coefficients SadTalker keeps of the 257: expression 80..143, angles 224..226, translation 254..256. */
    public static float[] motionCoefficients(float[] c257) {
        float[] out = new float[70];
        System.arraycopy(c257, 80, out, 0, 64);
        System.arraycopy(c257, 224, out, 64, 3);
        System.arraycopy(c257, 254, out, 67, 3);
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
