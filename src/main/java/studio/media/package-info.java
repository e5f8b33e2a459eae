/**
 * FFmpeg (JavaCV) set-up and opening, in one place.
 *
 * <p>Its own package at the bottom of the media stack, depending on nothing in the app: audio
 * decoding ({@code studio.audio}), reference videos ({@code studio.motion}), MP4 export
 * ({@code studio.video}) and the app's player ({@code studio.app}) all open FFmpeg, and the lowest
 * of them, {@code audio}, sits below {@code video}; keeping the set-up here instead of in
 * {@code video} means no package reaches upward for it, and it is not an audio concern either.
 *
 * <p>May use: {@code studio.job}, {@code studio.image}, JavaCV (FFmpeg).
 */
package studio.media;
