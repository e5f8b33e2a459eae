package studio.nn;

import ai.djl.ndarray.NDArray;

/**
 * nn.GroupNorm (affine) with its weights loaded once: libtorch's group_norm ({@link NativeNorms}),
 * which keeps a channels-last input (a bf16 conv's output) in its layout instead of copying it.
 */
public record GroupNorm(NDArray weight, NDArray bias, int groups, double eps) {
    public static GroupNorm load(Params p, long channels, int groups, double eps) {
        return new GroupNorm(p.get("weight", channels), p.get("bias", channels), groups, eps);
    }

    public NDArray forward(NDArray x) {
        return NativeNorms.group(x, groups, weight, bias, eps);
    }
}
