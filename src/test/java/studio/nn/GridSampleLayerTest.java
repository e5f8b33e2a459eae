package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GridSample} against {@code F.grid_sample(mode='bilinear', padding_mode='zeros')} with the
 * fixture's align_corners, grid coordinates reaching past [-1, 1].
 */
class GridSampleLayerTest extends LayerFixtureTest {
    @ParameterizedTest
    @ValueSource(strings = {"gs3d_noalign", "gs3d_align", "gs3d_broadcast"})
    void trilinearMatchesTorch(String name) {
        boolean align = fx.settings(name).get("align_corners").getAsBoolean();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = fx.in(m, name, "x"), grid = fx.in(m, name, "grid");
            fx.check(name, GridSample.trilinear(x, grid, align));
            // the renderer's path: the source volume kept in Java memory
            Shape s = x.getShape();
            var volume = new GridSample.Volume(
                    x.toFloatArray(), (int) s.get(0), (int) s.get(1), (int) s.get(2), (int) s.get(3), (int) s.get(4));
            fx.check(name + " (volume)", name + ".out", GridSample.trilinear(volume, grid, align), LayerFixture.TOL);
            // the GPU's path (libtorch's grid_sampler through the app's own TorchScript module), run here on the CPU
            fx.check(name + " (device)", name + ".out", GridSample.onDevice(x, grid, align), LayerFixture.TOL);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gs2d_noalign", "gs2d_align"})
    void bilinearMatchesTorch(String name) {
        boolean align = fx.settings(name).get("align_corners").getAsBoolean();
        try (NDManager m = NDManager.newBaseManager()) {
            fx.check(name, GridSample.bilinear(fx.in(m, name, "x"), fx.in(m, name, "grid"), align));
            fx.check(
                    name + " (device)",
                    name + ".out",
                    GridSample.onDevice(fx.in(m, name, "x"), fx.in(m, name, "grid"), align),
                    LayerFixture.TOL);
        }
    }

    @Test
    void alignCornersModesDiffer() {
        // guards the fixture itself: the two modes must give different answers on its grids
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray other = GridSample.trilinear(fx.in(m, "gs3d_align", "x"), fx.in(m, "gs3d_align", "grid"), false);
            Assertions.assertThrows(AssertionError.class, () -> fx.check("gs3d_align", other));
        }
    }
}
