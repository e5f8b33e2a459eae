package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A 3 × 3 convolution (padding 1) applied to a nearest-neighbour upsampled input,
 * {@code conv(F.interpolate(x, scale_factor=s, mode='nearest'))}, computed on the low-resolution
 * input instead (subpixel decomposition): every output phase (py, px) of an s × s block only ever
 * reads a 2 × 2 neighbourhood of low-resolution pixels, through a 2 × 2 kernel whose taps are sums
 * of the original 3 × 3 taps. All s² phase kernels run as one 2 × 2 convolution on the input
 * padded by 1, and the phases are interleaved back into the high-resolution map. Same result up
 * to float rounding, at 4/9 of the multiply-adds and without materialising the upsampled input.
 */
public final class UpsampledConv {
    private final int factor;
    private final long outChannels;
    private final Conv phases;
    /** Per axis and phase: 0 when the phase reads low-res offsets {-1, 0}, 1 when it reads {0, 1}. */
    private final int[] window;

    /**
     * @param weight (out, in, 3, 3) row-major
     * @param bias   (out), or null
     */
    public UpsampledConv(float[] weight, float[] bias, long out, long in, int factor, NDManager manager) {
        if (factor < 2) throw new IllegalArgumentException("upsampling factor must be at least 2, got " + factor);
        this.factor = factor;
        this.outChannels = out;
        window = new int[factor];
        for (int p = 0; p < factor; p++) window[p] = Math.floorDiv(p + 1, factor) > 0 ? 1 : 0;
        int phasesCount = factor * factor;
        int o = (int) out, i = (int) in;
        float[] w = new float[phasesCount * o * i * 4];
        float[] b = new float[phasesCount * o];
        for (int py = 0; py < factor; py++) {
            for (int px = 0; px < factor; px++) {
                int phase = py * factor + px;
                for (int ty = 0; ty < 3; ty++) {
                    // low-res row offset of tap ty for this phase, relative to the phase's 2-row window
                    int ry = Math.floorDiv(py + ty - 1, factor) + 1 - window[py];
                    for (int tx = 0; tx < 3; tx++) {
                        int rx = Math.floorDiv(px + tx - 1, factor) + 1 - window[px];
                        for (int oc = 0; oc < o; oc++)
                            for (int ic = 0; ic < i; ic++)
                                w[(((phase * o + oc) * i + ic) * 2 + ry) * 2 + rx] +=
                                        weight[((oc * i + ic) * 3 + ty) * 3 + tx];
                    }
                }
                if (bias != null) System.arraycopy(bias, 0, b, phase * o, o);
            }
        }
        phases = new Conv(manager.create(w, new Shape(phasesCount * out, in, 2, 2)), manager.create(b), 1, 1, 1, 1);
    }

    public long outChannels() {
        return outChannels;
    }

    /** x (B, in, H, W) → (B, out, sH, sW). */
    public NDArray apply(NDArray x) {
        return ScopedForward.keep(() -> applyInScope(x), x);
    }

    private NDArray applyInScope(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0), h = s.get(2), w = s.get(3);
        // padding 1 with a 2 × 2 kernel: output (a, c) reads padded rows a, a+1 = low-res rows a-1, a
        NDArray y = phases.apply(x).reshape(b, (long) factor * factor, outChannels, h + 1, w + 1);
        NDList parts = new NDList();
        for (int py = 0; py < factor; py++) {
            for (int px = 0; px < factor; px++) {
                int a = window[py], c = window[px];
                parts.add(y.get(":, " + (py * factor + px) + ", :, " + a + ":" + (a + h) + ", " + c + ":" + (c + w)));
            }
        }
        NDArray stacked = NDArrays.stack(parts, 1); // (B, s*s, out, H, W)
        return stacked.reshape(b, factor, factor, outChannels, h, w)
                .transpose(0, 3, 4, 1, 5, 2)
                .reshape(b, outChannels, h * factor, w * factor);
    }
}
