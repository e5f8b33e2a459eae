package studio.nn;

import ai.djl.ndarray.NDArray;

/**
 * Instance and group normalisation through libtorch's own reductions (a TorchScript module), which
 * DJL's Java API lacks: its mean takes one axis at a time and it has no group norm. Both keep the
 * channels-last layout the bf16 convs leave behind; measured on a channels-last (2, 128, 128, 128)
 * map, the instance norm took 3.3 ms this way against 82 ms reduced axis by axis through DJL.
 */
final class NativeNorms {
    private NativeNorms() {}

    private static final class Module { // holder: compiled on first use
        static final TorchScript NORMS = TorchScript.compile("StudioNorms", """
                def instance(self, x: Tensor, dims: List[int], eps: float) -> Tensor:
                  m = x.mean(dims, keepdim=True)
                  c = x - m
                  v = (c * c).mean(dims, keepdim=True)
                  return c * torch.rsqrt(v + eps)
                def group(self, x: Tensor, groups: int, w: Tensor, b: Tensor, eps: float) -> Tensor:
                  return torch.group_norm(x, groups, w, b, eps, False)
                """);
    }

    /** Instance norm without affine parameters: per sample and channel, over every axis after C. */
    static NDArray instance(NDArray x, double eps) {
        long[] dims = new long[x.getShape().dimension() - 2];
        for (int i = 0; i < dims.length; i++) dims[i] = i + 2;
        return Module.NORMS.call(x.getManager(), "instance", x, dims, eps);
    }

    /** nn.GroupNorm with its affine weight and bias. */
    static NDArray group(NDArray x, int groups, NDArray weight, NDArray bias, double eps) {
        return Module.NORMS.call(x.getManager(), "group", x, groups, weight, bias, eps);
    }
}
