/**
 * The engine that needs no downloads: motion planned from the audio and the portrait warped over its landmarks.
 *
 * <p>May use: what {@code studio.render} may use, and {@code studio.render}.
 */
package studio.render.builtin;
