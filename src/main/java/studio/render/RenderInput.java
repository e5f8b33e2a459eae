package studio.render;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import studio.audio.AudioFeatures;
import studio.face.Face;
import studio.face.FaceStage;

/**
 * The inputs of an engine (its options it gets once, when it is made): the portrait file and
 * picture as loaded (orientation applied), its chosen face (with landmarks), the audio features and
 * the job's open face stage (models loaded once per job, for engines that find faces in other
 * pictures, such as a reference video).
 */
public record RenderInput(Path image, BufferedImage portrait, Face face, AudioFeatures audio, FaceStage faces) {
    /** Without a face stage: for engines that only use the portrait's face (the built-in one). */
    public RenderInput(Path image, BufferedImage portrait, Face face, AudioFeatures audio) {
        this(image, portrait, face, audio, null);
    }
}
