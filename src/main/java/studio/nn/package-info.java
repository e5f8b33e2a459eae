/**
 * Neural-network layers on DJL NDArrays (PyTorch engine), shared by the stage networks: convolutions
 * with load-time fusion (folded BatchNorm, concatenation, subpixel up-sampled convs), norms, linear
 * and attention layers, StyleGAN2's modulated convolution, spectral norm, resampling, padding and
 * grid sampling, each matching the PyTorch module or function it stands for, with its weights read
 * by PyTorch state-dict name through {@link studio.nn.Params}. The package may import DJL (and the
 * JDK) and {@code studio.weights} for reading parameters, nothing above it: no stage, model or UI
 * package. Each layer is checked against PyTorch-written fixtures by the {@code *LayerTest}s
 * ({@code tools/make_nn_fixtures.py}).
 *
 * <p>May use: DJL, the JDK, {@code studio.job} and {@code studio.weights}.
 */
package studio.nn;
