package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Convolutions, linear layers and batched products in bfloat16, for AMX / AVX512-BF16 CPUs (and
 * GPUs that have bf16), with fp32 results.
 *
 * <p>Why through TorchScript: DJL's JNI maps its data types to libtorch's with a switch whose
 * default is a bare {@code throw;} (djl_pytorch_utils.h, {@code GetScalarTypeFromDType}); with no
 * exception in flight that is {@code std::terminate}, so naming BFLOAT16 from Java (create,
 * toType) kills the JVM. A TorchScript module casts inside libtorch instead and hands DJL tensors
 * it only passes along. The inputs go to channels-last (NHWC / NDHWC) as well: that is the layout
 * oneDNN's AMX kernels are fast in (measured here: 1.3–2× the same conv on NCHW bf16), and the
 * fp32 result stays channels-last: transposing it back costs more than the conv itself (a 3×3
 * conv 128→1024 at 64×64: 6 ms bf16, 11 ms with the casts, 25 ms with the transpose). Layers after
 * it keep the layout (elementwise ops follow their operands; {@link Layers#instanceNorm} reduces
 * without reshaping); DJL copies such a tensor to contiguous when it reads it to the host.
 */
final class Bfloat16 {
    // dtype 15 = torch.bfloat16, 6 = torch.float32; memory_format 2 = channels_last, 3 = channels_last_3d
    private static final String SOURCE = """
            def cast(self, x: Tensor) -> Tensor:
              y = x.to(dtype=15)
              if y.dim() == 4:
                y = y.contiguous(memory_format=2)
              elif y.dim() == 5:
                y = y.contiguous(memory_format=3)
              return y
            def conv(self, x: Tensor, w: Tensor, b: Optional[Tensor], stride: List[int], padding: List[int], dilation: List[int], groups: int) -> Tensor:
              xb = self.cast(x)
              if w.dim() == 4:
                y = torch.conv2d(xb, w, b, stride, padding, dilation, groups)
              elif w.dim() == 5:
                y = torch.conv3d(xb, w, b, stride, padding, dilation, groups)
              else:
                y = torch.conv1d(xb, w, b, stride, padding, dilation, groups)
              return y.to(dtype=6)
            def conv_nobias(self, x: Tensor, w: Tensor, stride: List[int], padding: List[int], dilation: List[int], groups: int) -> Tensor:
              return self.conv(x, w, None, stride, padding, dilation, groups)
            def linear(self, x: Tensor, w: Tensor, b: Tensor) -> Tensor:
              return torch.linear(x.to(dtype=15), w, b).to(dtype=6)
            def linear_nobias(self, x: Tensor, w: Tensor) -> Tensor:
              return torch.linear(x.to(dtype=15), w, None).to(dtype=6)
            def bmm(self, a: Tensor, b: Tensor) -> Tensor:
              return torch.bmm(a.to(dtype=15), b.to(dtype=15)).to(dtype=6)
            """;

    private static volatile TorchScript module;

    private Bfloat16() {}

    private static TorchScript module() {
        TorchScript m = module;
        if (m == null)
            synchronized (Bfloat16.class) {
                if (module == null) module = TorchScript.compile("StudioBfloat16", SOURCE);
                m = module;
            }
        return m;
    }

    /**
     * {@code w} as a bf16 tensor (channels-last for conv weights) in w's manager, closed with it;
     * null stays null. Only pass it back to this class: DJL cannot read its data type.
     */
    static NDArray cast(NDArray w) {
        return w == null ? null : module().call(w.getManager(), "cast", w);
    }

    /** A convolution with bf16 weights from {@link #cast}; x is fp32 and so is the result. */
    static NDArray conv(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation, int groups) {
        long[] s = stride.getShape(), p = padding.getShape(), d = dilation.getShape();
        return b == null
                ? module().call(x.getManager(), "conv_nobias", x, w, s, p, d, groups)
                : module().call(x.getManager(), "conv", x, w, b, s, p, d, groups);
    }

    /** nn.Linear with bf16 weights from {@link #cast}. */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return b == null
                ? module().call(x.getManager(), "linear_nobias", x, w)
                : module().call(x.getManager(), "linear", x, w, b);
    }

    /** A batched product of two fp32 tensors computed in bf16. */
    static NDArray bmm(NDArray a, NDArray b) {
        return module().call(a.getManager(), "bmm", a, b);
    }
}
