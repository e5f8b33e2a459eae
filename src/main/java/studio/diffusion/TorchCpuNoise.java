package studio.diffusion;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import studio.nn.TorchEngine;

/**
 * torch.randn on the CPU, by libtorch itself: its CPU generator seeded with
 * {@code torch.manual_seed(seed)} and drawn from call after call, as A1111's "CPU" source does.
 * libtorch's generator is process-wide, so each call re-seeds it and replays the earlier calls
 * (same sizes, so the stream is the same) before drawing: cheap beside one UNet step, and another
 * job drawing in between cannot shift this one's noise.
 */
final class TorchCpuNoise implements LatentNoise {
    private static final Object LOCK = new Object();
    private final long seed;
    private final List<Integer> earlier = new ArrayList<>();

    TorchCpuNoise(long seed) {
        this.seed = seed;
    }

    @Override
    public float[] next(int n) {
        synchronized (LOCK) {
            TorchEngine.seed(seed);
            try (NDManager m = TorchEngine.engine().newBaseManager()) {
                for (int size : earlier)
                    m.randomNormal(0, 1, new Shape(size), DataType.FLOAT32).close();
                float[] out =
                        m.randomNormal(0, 1, new Shape(n), DataType.FLOAT32).toFloatArray();
                earlier.add(n);
                return out;
            }
        }
    }
}
