package studio.motion;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Java2DFrameConverter;
import studio.face.Face;
import studio.job.InputException;
import studio.media.FFmpeg;

/**
 * The coefficients of a reference for {@code --ref-pose} / {@code --ref-eyeblink}, as SadTalker
 * extracts them: per frame of the reference video, the face's 68 landmarks, the 224 x 224
 * alignment and net_recon, keeping expression, angles and translation (F' x 70). A coefficient
 * file written by {@code --save-coeffs} is accepted as well (its {@code coeff_3dmm} is used).
 * Frames are decoded one at a time (JavaCV/FFmpeg); only the 70 numbers per frame are kept.
 */
public final class ReferenceVideo {
    private ReferenceVideo() {}

    /**
     * @param faceOf finds the face (with landmarks) in a frame, or returns null when there is none;
     *               a frame without a face repeats the previous frame's coefficients
     */
    public static float[] coefficients(Path file, CoefficientGenerator gen, Function<BufferedImage, Face> faceOf) {
        if (!Files.isRegularFile(file)) throw new InputException(file, "reference video not found");
        if (file.getFileName().toString().endsWith(".safetensors")) return CoefficientFile.readCoefficients(file);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        int frames = 0;
        float[] previous = null;
        try (FFmpegFrameGrabber grabber = FFmpeg.grabber(file);
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            for (Frame f; (f = grabber.grabImage()) != null; ) {
                BufferedImage image = converter.getBufferedImage(f);
                if (image == null) continue;
                Face face = faceOf.apply(image);
                float[] c;
                if (face != null && face.landmarks() != null)
                    c = NetRecon.motionCoefficients(gen.faceCoefficients(image, face));
                else if (previous != null) c = previous;
                else throw new InputException(file, "no face found in the first frame of the reference video");
                for (float v : c) out.writeFloat(v);
                previous = c;
                frames++;
            }
            grabber.stop();
        } catch (FrameGrabber.Exception e) {
            throw new InputException(file, "cannot read the reference video (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (frames == 0) throw new InputException(file, "the reference video has no frames");
        FloatBuffer fb = ByteBuffer.wrap(bytes.toByteArray()).asFloatBuffer();
        float[] result = new float[frames * 70];
        fb.get(result);
        return result;
    }
}
