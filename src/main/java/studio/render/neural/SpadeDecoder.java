package studio.render.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import studio.nn.Conv;
import studio.nn.Layers;
import studio.nn.NearestUpsample;
import studio.nn.Params;
import studio.nn.ScopedForward;
import studio.nn.SpectralNorm;
import studio.nn.UpsampledConv;

/**
 * SadTalker's SPADEDecoder: six SPADE residual blocks at the feature resolution, then two
 * upsampling blocks, each SPADE normalisation conditioned on the warped feature map itself
 * (nearest-upsampled to the block's resolution).
 *
 * <p>Rearranged at load time, same arithmetic up to float rounding:
 * <ul>
 * <li>the shared MLP convs of all SPADE layers of a block read the same map: one conv;
 * <li>in the upsampling blocks that conv reads a nearest-upsampled map: computed on the
 *     low-resolution map by subpixel decomposition ({@link UpsampledConv}, 4/9 of the work);
 * <li>each SPADE's gamma and beta convs read the same activation: one conv, the "1 +" of
 *     {@code x * (1 + gamma)} moved into the gamma bias;
 * <li>the learned shortcut is a 1 × 1 conv after SPADE, so its beta term is linear in the beta
 *     conv: the two are composed into one conv with the shortcut's (smaller) output width;
 * <li>spectral norm is applied to the weights once; the instance norm of x is shared by the
 *     main path and the shortcut.
 * </ul>
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
        for (int i = 0; i < 6; i++) middle[i] = new Block(p.sub("G_middle_" + i), 1);
        up0 = new Block(p.sub("up_0"), 2);
        up1 = new Block(p.sub("up_1"), 4);
        image = Conv.load(p.sub("conv_img"), 1);
    }

    /** feature (B, 256, h, w) → image (B, 3, 4h, 4w) in (0, 1). */
    NDArray apply(NDArray feature) {
        NDArray x = fc.apply(feature);
        // each block in its own scope: only its output outlives it
        for (Block b : middle) x = b.scoped(x, feature, false);
        x = up0.scoped(x, feature, true);
        x = up1.scoped(x, feature, true);
        NDArray last = x;
        return ScopedForward.keep(() -> Activation.sigmoid(image.apply(Blocks.leakyRelu(last, SLOPE))), last);
    }

    /** SPADEResnetBlock with spectral-norm convs and a learned shortcut when channels change. */
    private static final class Block {
        private final boolean learnedShortcut;
        private final Conv sharedMlp;
        private final UpsampledConv sharedMlpUpsampled;
        private final Conv[] gammaBeta;
        private final long[] splits;
        private final Conv conv0, conv1, convS;

        /** factor: how much larger x is than the conditioning map. */
        Block(Params p, int factor) {
            NDManager m = p.manager();
            learnedShortcut = p.has("conv_s.weight_orig");
            String[] norms =
                    learnedShortcut ? new String[] {"norm_0", "norm_1", "norm_s"} : new String[] {"norm_0", "norm_1"};
            // shared MLP convs of all norms, concatenated along the output channels
            long hidden = p.shape("norm_0.mlp_shared.0.weight")[0];
            long label = p.shape("norm_0.mlp_shared.0.weight")[1];
            float[] w = new float[(int) (norms.length * hidden * label * 9)];
            float[] b = new float[(int) (norms.length * hidden)];
            for (int i = 0; i < norms.length; i++) {
                Params shared = p.sub(norms[i]).sub("mlp_shared.0");
                shared.get("weight", hidden, label, 3, 3).close(); // shape check
                float[] wi = shared.dict().floats(shared.key("weight"));
                System.arraycopy(wi, 0, w, i * wi.length, wi.length);
                System.arraycopy(shared.dict().floats(shared.key("bias")), 0, b, (int) (i * hidden), (int) hidden);
            }
            long out = norms.length * hidden;
            if (factor == 1) {
                sharedMlp = new Conv(m.create(w, new Shape(out, label, 3, 3)), m.create(b), 1, 1, 1, 1);
                sharedMlpUpsampled = null;
            } else {
                sharedMlp = null;
                sharedMlpUpsampled = new UpsampledConv(w, b, out, label, factor, m);
            }
            conv0 = spectral(p.sub("conv_0"), 1);
            conv1 = spectral(p.sub("conv_1"), 1);
            gammaBeta = new Conv[norms.length];
            splits = new long[norms.length];
            for (int i = 0; i < 2; i++) {
                Params n = p.sub(norms[i]);
                Conv gamma = Conv.load(n.sub("mlp_gamma"), 1).withBiasOffset(1f);
                splits[i] = gamma.outChannels();
                gammaBeta[i] = Conv.concat(gamma, Conv.load(n.sub("mlp_beta"), 1));
            }
            if (learnedShortcut) {
                NDArray ws = SpectralNorm.weight(p.sub("conv_s"), m); // (out, in, 1, 1), no bias
                long so = ws.getShape().get(0), si = ws.getShape().get(1);
                convS = new Conv(ws, null, 1, 0, 1, 1);
                Params n = p.sub("norm_s");
                Conv gamma = Conv.load(n.sub("mlp_gamma"), 1).withBiasOffset(1f);
                NDArray wb = n.get("mlp_beta.weight");
                NDArray bb = n.get("mlp_beta.bias");
                NDArray mat = ws.reshape(so, si);
                NDArray composedW =
                        mat.matMul(wb.reshape(si, -1)).reshape(so, wb.getShape().get(1), 3, 3);
                NDArray composedB = mat.matMul(bb.reshape(si, 1)).reshape(so);
                wb.close();
                bb.close();
                splits[2] = gamma.outChannels();
                gammaBeta[2] = Conv.concat(gamma, new Conv(composedW, composedB, 1, 1, 1, 1));
            } else {
                convS = null;
            }
        }

        private static Conv spectral(Params p, int padding) {
            NDArray w = SpectralNorm.weight(p, p.manager());
            return new Conv(w, p.has("bias") ? p.get("bias") : null, 1, padding, 1, 1);
        }

        NDArray scoped(NDArray x, NDArray seg, boolean upsampleFirst) {
            return ScopedForward.keep(() -> apply(upsampleFirst ? NearestUpsample.scale(x, 2) : x, seg), x, seg);
        }

        /** seg: the conditioning map at the feature resolution (x is {@code factor} times larger). */
        NDArray apply(NDArray x, NDArray seg) {
            NDArray hidden = sharedMlp != null ? sharedMlp.apply(seg) : sharedMlpUpsampled.apply(seg);
            NDList actv = Blocks.relu(hidden).split(gammaBeta.length, 1);
            NDArray normalized = Layers.instanceNorm(x, IN_EPS);
            NDArray shortcut = x;
            if (learnedShortcut) {
                // conv_s(IN(x) * gamma_s + beta_s) = conv_s(IN(x) * gamma_s) + (conv_s ∘ beta conv)(actv_s)
                shortcut = ScopedForward.keep(
                        () -> {
                            NDList gb = gammaBeta[2].apply(actv.get(2)).split(new long[] {splits[2]}, 1);
                            return convS.apply(normalized.mul(gb.get(0))).add(gb.get(1));
                        },
                        normalized,
                        actv.get(2));
            }
            NDArray dx = ScopedForward.keep(
                    () -> conv0.apply(Blocks.leakyRelu(spade(0, normalized, actv), SLOPE)), normalized, actv.get(0));
            NDArray mid = dx;
            dx = ScopedForward.keep(
                    () -> conv1.apply(Blocks.leakyRelu(spade(1, Layers.instanceNorm(mid, IN_EPS), actv), SLOPE)),
                    mid,
                    actv.get(1));
            return shortcut.add(dx);
        }

        private NDArray spade(int i, NDArray normalized, NDList actv) {
            NDList gb = gammaBeta[i].apply(actv.get(i)).split(new long[] {splits[i]}, 1);
            return normalized.mul(gb.get(0)).add(gb.get(1));
        }
    }
}
