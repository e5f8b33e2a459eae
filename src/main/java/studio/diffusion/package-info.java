/**
 * Portrait generation with Stable Diffusion 1.x checkpoints (CLIP text encoder, UNet, VAE, A1111 samplers, prompt syntax, LoRA, seeds), a side branch that feeds the face stage a picture.
 *
 * <p>May use: {@code studio.job}, {@code studio.weights}, {@code studio.nn}, {@code studio.face}.
 */
package studio.diffusion;
