package studio.weights;

import java.util.Arrays;

/** Name, element type and shape of one stored tensor. */
public record TensorInfo(String name, DType dtype, long[] shape) {
    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
