package studio.motion;

import java.nio.file.Path;
import studio.job.InputException;
import studio.weights.CheckpointException;
import studio.weights.SafeTensors;
import studio.weights.SafeTensorsWriter;
import studio.weights.TensorInfo;

/**
 * The {@code --save-coeffs} file: a safetensors file holding
 * <ul>
 *   <li>{@code coeff_3dmm}: F x 70 float32, per video frame (25 fps) 64 expression coefficients
 *       then 6 pose values (pitch, yaw, roll in radians, then tx, ty, tz), what the renderer animates;</li>
 *   <li>{@code source_coeff}: 1 x 257 float32, the source portrait's full 3DMM coefficients
 *       (identity 80, expression 64, texture 80, angles 3, lighting 27, translation 3), when known.</li>
 * </ul>
 * Metadata: {@code format = talking-head-studio.coeffs/1}, {@code fps = 25}. Such a file can be
 * fed back as {@code --ref-pose} / {@code --ref-eyeblink}.
 */
public final class CoefficientFile {
    public static final String FORMAT = "talking-head-studio.coeffs/1";

    private CoefficientFile() {}

    public static void write(Path file, float[] coeff3dmm, float[] sourceCoeff257) {
        if (coeff3dmm.length % 70 != 0) throw new IllegalArgumentException("coefficients are not F x 70");
        SafeTensorsWriter w = new SafeTensorsWriter()
                .meta("format", FORMAT)
                .meta("fps", "25")
                .put("coeff_3dmm", coeff3dmm, coeff3dmm.length / 70, 70);
        if (sourceCoeff257 != null) w.put("source_coeff", sourceCoeff257, 1, 257);
        w.write(file);
    }

    /** The F x 70 {@code coeff_3dmm} of a saved file (row-major). */
    public static float[] readCoefficients(Path file) {
        try (SafeTensors s = SafeTensors.open(file)) {
            TensorInfo info = s.info("coeff_3dmm");
            if (info == null) throw new InputException(file, "not a coefficient file (no coeff_3dmm tensor)");
            long[] shape = info.shape();
            if (shape.length != 2 || shape[1] < 70 || shape[0] < 1)
                throw new CheckpointException(
                        file.toString(),
                        "tensor 'coeff_3dmm' has shape " + info.shapeString() + ", expected [frames, 70]");
            float[] all = s.floats("coeff_3dmm");
            int frames = (int) shape[0], cols = (int) shape[1];
            float[] out = new float[frames * 70];
            for (int f = 0; f < frames; f++) System.arraycopy(all, f * cols, out, f * 70, 70);
            return out;
        }
    }

    /** The 1 x 257 {@code source_coeff}, or null when the file has none. */
    public static float[] readSource(Path file) {
        try (SafeTensors s = SafeTensors.open(file)) {
            return s.contains("source_coeff") ? s.floats("source_coeff") : null;
        }
    }
}
