package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.stream.IntStream;

/**
 * {@code torch.nn.functional.grid_sample} with linear interpolation (trilinear for 5-D input,
 * bilinear for 4-D) and {@code padding_mode='zeros'}, matching PyTorch's {@code align_corners}
 * semantics (unnormalize: {@code ((c + 1) * size - 1) / 2}, or {@code (c + 1) / 2 * (size - 1)}
 * with align_corners).
 *
 * <p>Hand-written because DJL exposes no grid_sample operator. It is a plain loop over float
 * arrays rather than a chain of NDArray gather ops: expressed with NDArrays, each of the 8 corners
 * costs a dozen full passes over the point set (index math, bounds masks, int64 indices, an
 * expanded gather, a weighted sum), which measured ~2 CPU-seconds per 256-pixel frame, whereas
 * the loop touches each point once (≈ 30 ms) and is parallel over blocks of points. The input is
 * usually source-side data that stays the same for a whole clip, so callers can keep it as a
 * {@code float[]} and skip the copy out of native memory.
 *
 * <p>On an accelerator the loop would copy every frame to the host and back, so there the
 * sampling is libtorch's own {@code grid_sampler} on the device ({@link #onDevice}), reached
 * through a small {@link TorchScript} module; {@link Volume#of} keeps the source on the device.
 */
public final class GridSample {
    private GridSample() {}

    private static final int BLOCK = 4096;

    private static final String KERNELS = """
            def sample(self: __torch__.GridSampler, x: Tensor, g: Tensor, align: bool) -> Tensor:
              return torch.grid_sampler(x, g, 0, 0, align)
            """;

    /** Compiled on first use; a parameter-free module serves every device and thread. */
    private static final class Kernels {
        static final TorchScript MODULE = TorchScript.compile("GridSampler", KERNELS);
    }

    /**
     * libtorch's {@code grid_sampler} (bilinear/trilinear, zero padding) on the tensors' own
     * device: {@code input} (N, C, [D,] H, W) with N equal to the grid's batch or 1 (then shared),
     * {@code grid} (Ng, [Do,] Ho, Wo, 2|3). The result is owned by the grid's manager.
     */
    public static NDArray onDevice(NDArray input, NDArray grid, boolean alignCorners) {
        long gn = grid.getShape().get(0);
        NDArray in = input;
        if (input.getShape().get(0) != gn) {
            Shape s = input.getShape();
            long[] dims = s.getShape();
            dims[0] = gn;
            in = input.broadcast(new Shape(dims));
        }
        NDArray out = Kernels.MODULE.call(grid.getManager(), "sample", in, grid, alignCorners);
        if (in != input) in.close();
        return out;
    }

    /**
     * Trilinear sampling on NDArrays. {@code input} (N, C, D, H, W); {@code grid} (Ng, Do, Ho, Wo, 3)
     * with (x, y, z) in [-1, 1] indexing (W, H, D); Ng equals N, or N is 1 and every grid sample
     * reads that one input. Returns (Ng, C, Do, Ho, Wo), owned by the grid's manager.
     */
    public static NDArray trilinear(NDArray input, NDArray grid, boolean alignCorners) {
        Shape s = input.getShape();
        if (s.dimension() != 5) throw new IllegalArgumentException("trilinear grid sample needs 5-D input, got " + s);
        return trilinear(Volume.of(input), grid, alignCorners);
    }

    /** As {@link #trilinear(NDArray, NDArray, boolean)} with the input already prepared ({@link Volume#of}). */
    public static NDArray trilinear(Volume input, NDArray grid, boolean alignCorners) {
        Shape gs = grid.getShape();
        if (gs.dimension() != 5 || gs.get(4) != 3)
            throw new IllegalArgumentException("grid must be (N, D, H, W, 3), got " + gs);
        if (input.tensor() != null) return onDevice(input.tensor(), grid, alignCorners);
        int gn = (int) gs.get(0);
        float[] out = trilinear(input, grid.toFloatArray(), gn, alignCorners);
        return grid.getManager().create(out, new Shape(gn, input.channels(), gs.get(1), gs.get(2), gs.get(3)));
    }

    /** Bilinear sampling: {@code input} (N, C, H, W), {@code grid} (N, Ho, Wo, 2) → (N, C, Ho, Wo), owned by the grid's manager. */
    public static NDArray bilinear(NDArray input, NDArray grid, boolean alignCorners) {
        Shape s = input.getShape(), gs = grid.getShape();
        if (s.dimension() != 4 || gs.dimension() != 4 || gs.get(3) != 2)
            throw new IllegalArgumentException(
                    "bilinear grid sample needs (N, C, H, W) input and (N, H, W, 2) grid, got " + s + ", " + gs);
        if (input.getDevice().isGpu()) return onDevice(input, grid, alignCorners);
        // a depth-1 volume: z = 0 unnormalizes to depth index 0 exactly (both align_corners modes)
        Volume v = new Volume(input.toFloatArray(), (int) s.get(0), (int) s.get(1), 1, (int) s.get(2), (int) s.get(3));
        float[] g2 = grid.toFloatArray();
        float[] g3 = new float[g2.length / 2 * 3];
        for (int i = 0, j = 0; i < g2.length; i += 2, j += 3) {
            g3[j] = g2[i];
            g3[j + 1] = g2[i + 1];
        }
        int gn = (int) gs.get(0);
        float[] out = trilinear(v, g3, gn, alignCorners);
        return grid.getManager().create(out, new Shape(gn, s.get(1), gs.get(1), gs.get(2)));
    }

    /**
     * An (N, C, D, H, W) float volume sampled many times: in Java memory, row-major, for the CPU
     * loop ({@code data}), or kept as the tensor on its accelerator ({@code tensor}, data null).
     */
    public record Volume(float[] data, NDArray tensor, int batch, int channels, int depth, int height, int width) {
        public Volume {
            if ((data == null) == (tensor == null))
                throw new IllegalArgumentException("a volume is either host data or a device tensor");
            if (data != null && (long) batch * channels * depth * height * width != data.length)
                throw new IllegalArgumentException("volume size mismatch");
        }

        /** Host data (for tests and callers that already hold floats). */
        public Volume(float[] data, int batch, int channels, int depth, int height, int width) {
            this(data, null, batch, channels, depth, height, width);
        }

        /** Moves a device tensor into {@code owner} so it outlives the scratch scope it was made in (host data: nothing). */
        public Volume keepIn(NDManager owner) {
            if (tensor != null) tensor.attach(owner);
            return this;
        }

        /**
         * A 5-D tensor prepared for sampling: copied to Java memory once when it is on the CPU,
         * kept where it is (it must outlive the volume's use) when it is on an accelerator.
         */
        public static Volume of(NDArray x) {
            Shape s = x.getShape();
            if (s.dimension() != 5) throw new IllegalArgumentException("a volume is 5-D, got " + s);
            int n = (int) s.get(0), c = (int) s.get(1), d = (int) s.get(2), h = (int) s.get(3), w = (int) s.get(4);
            if (x.getDevice().isGpu()) return new Volume(null, x, n, c, d, h, w);
            return new Volume(x.toFloatArray(), null, n, c, d, h, w);
        }
    }

    /**
     * The core: {@code grid} holds (x, y, z) triples for {@code gn} samples of equal point count;
     * returns (gn, C, points) row-major.
     */
    public static float[] trilinear(Volume in, float[] grid, int gn, boolean alignCorners) {
        if (in.batch() != gn && in.batch() != 1)
            throw new IllegalArgumentException("input batch " + in.batch() + " vs grid batch " + gn);
        int points = grid.length / 3 / gn;
        int c = in.channels(), d = in.depth(), h = in.height(), w = in.width();
        int volume = d * h * w;
        float[] out = new float[gn * c * points];
        int blocksPerSample = (points + BLOCK - 1) / BLOCK;
        IntStream.range(0, gn * blocksPerSample).parallel().forEach(task -> {
            int n = task / blocksPerSample;
            int start = (task % blocksPerSample) * BLOCK;
            int end = Math.min(points, start + BLOCK);
            int len = end - start;
            int[] offset = new int[8 * len];
            float[] weight = new float[8 * len];
            for (int i = 0; i < len; i++) {
                int g = 3 * (n * points + start + i);
                float ix = unnormalize(grid[g], w, alignCorners);
                float iy = unnormalize(grid[g + 1], h, alignCorners);
                float iz = unnormalize(grid[g + 2], d, alignCorners);
                int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy), z0 = (int) Math.floor(iz);
                float fx = ix - x0, fy = iy - y0, fz = iz - z0;
                for (int k = 0; k < 8; k++) {
                    int dx = k & 1, dy = (k >> 1) & 1, dz = (k >> 2) & 1;
                    int x = x0 + dx, y = y0 + dy, z = z0 + dz;
                    boolean inside = x >= 0 && x < w && y >= 0 && y < h && z >= 0 && z < d;
                    // same factor order as PyTorch: (x weight) * (y weight) * (z weight)
                    float wk = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy) * (dz == 0 ? 1 - fz : fz);
                    offset[8 * i + k] = inside ? (z * h + y) * w + x : 0;
                    weight[8 * i + k] = inside ? wk : 0f;
                }
            }
            float[] src = in.data();
            int inBase = (in.batch() == 1 ? 0 : n) * c * volume;
            int outBase = n * c * points + start;
            for (int ch = 0; ch < c; ch++) {
                int cb = inBase + ch * volume;
                int ob = outBase + ch * points;
                for (int i = 0; i < len; i++) {
                    int o = 8 * i;
                    float acc = 0;
                    for (int k = 0; k < 8; k++) acc += weight[o + k] * src[cb + offset[o + k]];
                    out[ob + i] = acc;
                }
            }
        });
        return out;
    }

    private static float unnormalize(float coord, int size, boolean alignCorners) {
        if (alignCorners) return (coord + 1) / 2 * (size - 1);
        return ((coord + 1) * size - 1) / 2;
    }
}
