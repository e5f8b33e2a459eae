package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * {@code torch.nn.functional.grid_sample} with linear interpolation (bilinear for 4-D input,
 * trilinear for 5-D) and {@code padding_mode='zeros'}, on DJL NDArrays.
 *
 * <p>Written by hand because DJL exposes no grid_sample operator (neither in its NDArray API nor
 * in the PyTorch engine's JNI). It stays on NDArrays (no Java loop over voxels): the input is laid
 * out channels-last as a table of rows with one extra all-zero row; every grid point's corner
 * indices are computed with tensor ops, corners that fall outside the volume point at the zero row
 * (which is exactly PyTorch's zero padding), and the rows are fetched with {@code gather}.
 */
public final class GridSample {
    private GridSample() {}

    /**
     * Trilinear sampling. {@code input} is (N, C, D, H, W); {@code grid} is (N or 1.., Do, Ho, Wo, 3)
     * with (x, y, z) in [-1, 1] indexing (W, H, D). When {@code input} has batch 1 and the grid a
     * larger batch, every grid sample reads the one input (no copies of the input are made).
     *
     * @return (Ng, C, Do, Ho, Wo)
     */
    public static NDArray trilinear(NDArray input, NDArray grid, boolean alignCorners) {
        Shape s = input.getShape();
        if (s.dimension() != 5) throw new IllegalArgumentException("trilinear grid sample needs 5-D input, got " + s);
        Shape gs = grid.getShape();
        if (gs.dimension() != 5 || gs.get(4) != 3) throw new IllegalArgumentException("grid must be (N, D, H, W, 3), got " + gs);
        long n = s.get(0), c = s.get(1), d = s.get(2), h = s.get(3), w = s.get(4);
        long gn = gs.get(0), gd = gs.get(1), gh = gs.get(2), gw = gs.get(3);
        if (n != gn && n != 1) throw new IllegalArgumentException("input batch " + n + " vs grid batch " + gn);
        NDManager m = grid.getManager();
        try (NDManager scope = m.newSubManager()) {
            input.tempAttach(scope);
            grid.tempAttach(scope);
            long volume = d * h * w;
            long points = gd * gh * gw;
            // rows: (n * volume + 1, C); the last row is zero
            NDArray rows = input.transpose(0, 2, 3, 4, 1).reshape(n * volume, c);
            rows = rows.concat(scope.zeros(new Shape(1, c)), 0);
            long zeroRow = n * volume;

            NDArray flat = grid.reshape(gn, points, 3);
            NDArray ix = unnormalize(flat.get(":, :, 0"), w, alignCorners);
            NDArray iy = unnormalize(flat.get(":, :, 1"), h, alignCorners);
            NDArray iz = unnormalize(flat.get(":, :, 2"), d, alignCorners);
            NDArray x0 = ix.floor(), y0 = iy.floor(), z0 = iz.floor();
            NDArray fx = ix.sub(x0), fy = iy.sub(y0), fz = iz.sub(z0);
            NDArray batchBase;
            if (n == 1) batchBase = scope.zeros(new Shape(gn, 1), DataType.INT64);
            else batchBase = scope.arange(0, gn, 1, DataType.INT64).mul(volume).reshape(gn, 1);

            NDArray acc = null;
            for (int corner = 0; corner < 8; corner++) {
                int dx = corner & 1, dy = (corner >> 1) & 1, dz = (corner >> 2) & 1;
                NDArray cx = dx == 0 ? x0 : x0.add(1), cy = dy == 0 ? y0 : y0.add(1), cz = dz == 0 ? z0 : z0.add(1);
                NDArray weight = (dx == 0 ? fx.neg().add(1) : fx)
                        .mul(dy == 0 ? fy.neg().add(1) : fy)
                        .mul(dz == 0 ? fz.neg().add(1) : fz);
                NDArray inside = inRange(cx, w).logicalAnd(inRange(cy, h)).logicalAnd(inRange(cz, d));
                NDArray linear = cz.mul(h).add(cy).mul(w).add(cx).toType(DataType.INT64, false).add(batchBase);
                NDArray index = NDArrayWhere.select(inside, linear, scope.full(new Shape(1), zeroRow));
                NDArray picked = rows.gather(index.reshape(gn * points, 1).broadcast(gn * points, c), 0);
                NDArray term = picked.mul(weight.reshape(gn * points, 1));
                acc = acc == null ? term : acc.addi(term);
            }
            NDArray out = acc.reshape(gn, gd, gh, gw, c).transpose(0, 4, 1, 2, 3);
            out.attach(m);
            return out;
        }
    }

    /** Bilinear sampling: {@code input} (N, C, H, W), {@code grid} (N, Ho, Wo, 2) → (N, C, Ho, Wo), owned like {@link #trilinear}'s. */
    public static NDArray bilinear(NDArray input, NDArray grid, boolean alignCorners) {
        Shape s = input.getShape(), gs = grid.getShape();
        NDManager m = grid.getManager();
        try (NDManager scope = m.newSubManager()) {
            input.tempAttach(scope);
            grid.tempAttach(scope);
            // a depth-1 volume sampled at its centre plane: z = 0 maps to depth index 0 with weight 1
            // when alignCorners is false ((0 + 1) * 1 - 1) / 2 = 0, and likewise when it is true.
            NDArray volume = input.reshape(s.get(0), s.get(1), 1, s.get(2), s.get(3));
            NDArray zeros = scope.zeros(new Shape(gs.get(0), gs.get(1), gs.get(2), 1));
            NDArray grid3 = grid.concat(zeros, 3).reshape(gs.get(0), 1, gs.get(1), gs.get(2), 3);
            NDArray out = trilinear(volume, grid3, alignCorners).squeeze(2);
            out.attach(m);
            return out;
        }
    }

    /** PyTorch's grid_sampler_unnormalize. */
    private static NDArray unnormalize(NDArray coord, long size, boolean alignCorners) {
        if (alignCorners) return coord.add(1).mul((size - 1) / 2.0);
        return coord.add(1).mul(size).sub(1).div(2);
    }

    private static NDArray inRange(NDArray c, long size) {
        return c.gte(0).logicalAnd(c.lte(size - 1));
    }

    /** Element-wise select that broadcasts its fallback. */
    private static final class NDArrayWhere {
        static NDArray select(NDArray condition, NDArray a, NDArray b) {
            return ai.djl.ndarray.NDArrays.where(condition, a, b.broadcast(a.getShape()));
        }
    }
}
