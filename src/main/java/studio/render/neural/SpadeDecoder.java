package studio.render.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import studio.nn.Conv;
import studio.nn.Layers;
import studio.nn.NearestUpsample;
import studio.nn.Params;
import studio.nn.SpectralNorm;

/**
 * SadTalker's SPADEDecoder: six SPADE residual blocks at the feature resolution, then two
 * upsampling blocks, each SPADE normalisation conditioned on the warped feature map itself.
 *
 * <p>Fused at load time (same arithmetic, fewer and larger convolutions): the shared MLP convs of
 * all SPADE layers of a block read the same segmentation map, so they run as one conv; each SPADE's
 * gamma and beta convs read the same activation, so they run as one conv whose gamma half carries
 * the "1 +" in its bias; spectral norm is applied to the weights once.
 */
final class SpadeDecoder {
    private static final float SLOPE = 0.2f;
    private static final double IN_EPS = 1e-5;
    private final Conv fc;
    private final Block[] middle = new Block[6];
    private final Block up0, up1;
    private final Conv image;

    SpadeDecoder(Params p) {
        fc = Conv.load(p.sub("fc"), 1);
        for (int i = 0; i < 6; i++) middle[i] = new Block(p.sub("G_middle_" + i));
        up0 = new Block(p.sub("up_0"));
        up1 = new Block(p.sub("up_1"));
        image = Conv.load(p.sub("conv_img"), 1);
    }

    /** feature (B, 256, h, w) → image (B, 3, 4h, 4w) in (0, 1). */
    NDArray apply(NDArray feature) {
        NDArray x = fc.apply(feature);
        for (Block b : middle) x = b.apply(x, feature);
        x = up0.apply(NearestUpsample.scale(x, 2), NearestUpsample.scale(feature, 2));
        x = up1.apply(NearestUpsample.scale(x, 2), NearestUpsample.scale(feature, 4));
        return Activation.sigmoid(image.apply(Blocks.leakyRelu(x, SLOPE)));
    }

    /** SPADEResnetBlock with spectral-norm convs and a learned shortcut when channels change. */
    private static final class Block {
        private final boolean learnedShortcut;
        private final Conv sharedMlp;
        private final Conv[] gammaBeta;
        private final long hidden;
        private final Conv conv0, conv1, convS;

        Block(Params p) {
            learnedShortcut = p.has("conv_s.weight_orig");
            String[] norms = learnedShortcut ? new String[] {"norm_0", "norm_1", "norm_s"} : new String[] {"norm_0", "norm_1"};
            Conv[] shared = new Conv[norms.length];
            gammaBeta = new Conv[norms.length];
            for (int i = 0; i < norms.length; i++) {
                Params n = p.sub(norms[i]);
                shared[i] = Conv.load(n.sub("mlp_shared.0"), 1);
                gammaBeta[i] = Conv.concat(Conv.load(n.sub("mlp_gamma"), 1).withBiasOffset(1f), Conv.load(n.sub("mlp_beta"), 1));
            }
            hidden = shared[0].outChannels();
            sharedMlp = Conv.concat(shared);
            conv0 = spectral(p.sub("conv_0"), 1);
            conv1 = spectral(p.sub("conv_1"), 1);
            convS = learnedShortcut ? spectral(p.sub("conv_s"), 0) : null;
        }

        private static Conv spectral(Params p, int padding) {
            NDArray w = SpectralNorm.weight(p, p.manager());
            return new Conv(w, p.has("bias") ? p.get("bias") : null, 1, padding, 1, 1);
        }

        /** seg: the conditioning map already at x's resolution. */
        NDArray apply(NDArray x, NDArray seg) {
            NDList actv = Blocks.relu(sharedMlp.apply(seg)).split(gammaBeta.length, 1);
            NDArray shortcut = learnedShortcut ? convS.apply(spade(2, x, actv)) : x;
            NDArray dx = conv0.apply(Blocks.leakyRelu(spade(0, x, actv), SLOPE));
            dx = conv1.apply(Blocks.leakyRelu(spade(1, dx, actv), SLOPE));
            return shortcut.add(dx);
        }

        private NDArray spade(int i, NDArray x, NDList actv) {
            NDList gb = gammaBeta[i].apply(actv.get(i)).split(2, 1);
            return Layers.instanceNorm(x, IN_EPS).mul(gb.get(0)).add(gb.get(1));
        }
    }
}
