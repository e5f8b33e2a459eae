package studio.render.neural;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import studio.job.InputException;

/**
 * SadTalker's gen_camera_pose: a per-frame angle sequence from the user's keyframe list
 * ({@code --input_yaw 0 30 -30}). One value holds for the whole clip; with several, the clip's
 * frames are shared between the segments in proportion to each segment's angular distance, each
 * segment walked with numpy's arange(start, stop, step) semantics, then cut or padded (with the
 * last value) to the frame count.
 *
 * <p>Where the reference fails (a segment with no change, which makes numpy divide 0 by 0, or a
 * one-frame clip), this holds the angle instead: a zero-length segment gets no frames.
 */
public final class CameraPoseSequence {
    private CameraPoseSequence() {}

    /** Per-frame angles in degrees, or null when {@code keyframes} is empty (no override). */
    public static double[] of(List<Double> keyframes, int frames) {
        if (keyframes == null || keyframes.isEmpty()) return null;
        for (Double v : keyframes)
            if (v == null || !Double.isFinite(v))
                throw new InputException("head pose angles must be finite numbers, got " + keyframes);
        double[] out = new double[frames];
        if (keyframes.size() == 1 || frames <= 1) {
            Arrays.fill(out, keyframes.get(0));
            return out;
        }
        double total = 0;
        for (int i = 1; i < keyframes.size(); i++) total += Math.abs(keyframes.get(i) - keyframes.get(i - 1));
        List<Double> seq = new ArrayList<>();
        if (total > 0) {
            double perFrame = total / (frames - 1);
            for (int i = 1; i < keyframes.size(); i++) {
                double last = keyframes.get(i - 1), next = keyframes.get(i);
                if (next == last) continue;
                double step = perFrame * Math.abs(next - last) / (next - last);
                // numpy.arange: length ceil((stop - start) / step), values start + i * step
                long n = (long) Math.ceil((next - last) / step);
                for (long j = 0; j < n && seq.size() <= frames; j++) seq.add(last + j * step);
            }
        }
        if (seq.isEmpty()) seq.add(keyframes.get(0));
        for (int f = 0; f < frames; f++) out[f] = seq.get(Math.min(f, seq.size() - 1));
        return out;
    }
}
