package studio.weights;

import java.util.Arrays;

/** Name, element type and shape of one stored tensor. */
public record TensorInfo(String name, DType dtype, long[] shape) {
    public long elements() {
        long n = 1;
        for (long d : shape)
            n = Math.multiplyExact(n, d); // shapes are checked when read; this only guards against a wrap
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
