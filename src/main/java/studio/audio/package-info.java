/**
 * The first stage: any audio FFmpeg reads, decoded to 16 kHz mono, and SadTalker's mel spectrogram (one video frame per 640 samples).
 *
 * <p>May use: {@code studio.job}, JavaCV (FFmpeg), TarsosDSP.
 */
package studio.audio;
