/**
 * Picture representations and the conversions between them (BufferedImage types, BGR/RGB bytes,
 * OpenCV mats), in one place.
 *
 * <p>Its own package at the bottom, beside {@code studio.job}, depending on nothing in the app (only
 * Java2D and OpenCV's core types): the lowest user is {@code studio.face}, and {@code render},
 * {@code enhance}, {@code pipeline} and {@code diffusion} convert too, so a lower home than face is
 * needed, and a conversion of pixels is not a network concern for {@code studio.nn}. Conversions to
 * and from tensors need DJL and live one step up, in {@code studio.nn.ImageTensors}.
 *
 * <p>May use: {@code studio.job}, Java2D, OpenCV (JavaCV).
 */
package studio.image;
