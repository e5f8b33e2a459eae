package studio.render;

import java.awt.image.BufferedImage;
import studio.audio.AudioFeatures;
import studio.face.Face;
import studio.pipeline.RenderOptions;

/**
 * The inputs of an engine: the portrait as loaded (orientation applied), its chosen face (with
 * landmarks), the audio features and the user's options.
 */
public record RenderInput(BufferedImage portrait, Face face, AudioFeatures audio, RenderOptions options) {}
