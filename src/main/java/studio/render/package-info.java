/**
 * The fourth stage: engines that turn a portrait, its face and the audio into frames ({@link studio.render.TalkingHeadEngine}), and the framing (crop in, paste back out) they share. Each engine gets its options once, when it is made, and says which controls it honours.
 *
 * <p>May use: the stages below it ({@code audio}, {@code face}, {@code motion}) and {@code job}, {@code weights}, {@code nn}.
 */
package studio.render;
