/**
 * The last stage: frames and the soundtrack streamed into an H.264/AAC MP4 through FFmpeg, written to a temporary file and moved into place.
 *
 * <p>May use: {@code studio.job}, {@code studio.audio}, JavaCV (FFmpeg).
 */
package studio.video;
