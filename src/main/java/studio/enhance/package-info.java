/**
 * The fifth stage: GFPGAN v1.4 face restoration (with ParseNet masks) between the engine and the video writer.
 *
 * <p>May use: the stages below it and {@code job}, {@code weights}, {@code nn}.
 */
package studio.enhance;
