package studio.render;

import java.awt.image.BufferedImage;
import studio.audio.AudioFeatures;
import studio.face.Face;
import studio.face.FaceStage;
import studio.pipeline.RenderOptions;

/**
 * The inputs of an engine: the portrait as loaded (orientation applied), its chosen face (with
 * landmarks), the audio features, the user's options and the job's open face stage (models loaded
 * once per job, for engines that find faces in other pictures, such as a reference video).
 */
public record RenderInput(BufferedImage portrait, Face face, AudioFeatures audio, RenderOptions options, FaceStage faces) {
    /** Without a face stage: for engines that only use the portrait's face (the built-in one). */
    public RenderInput(BufferedImage portrait, Face face, AudioFeatures audio, RenderOptions options) {
        this(portrait, face, audio, options, null);
    }
}
