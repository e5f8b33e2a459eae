package studio.render.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import studio.job.InputException;

/** Expected sequences were computed with SadTalker's gen_camera_pose (numpy 1.x) for the same inputs. */
class CameraPoseSequenceTest {
    @Test
    void interpolatesKeyframesAsSadTalker() {
        assertArrayEquals(
                new double[] {0, 10, 20, 30, 20, 10, 0, -10, -20, -20},
                CameraPoseSequence.of(List.of(0.0, 30.0, -30.0), 10),
                1e-9);
        assertArrayEquals(
                new double[] {10, 7.5, 5, 2.5, 0, -2.5, -2.5}, CameraPoseSequence.of(List.of(10.0, -5.0), 7), 1e-9);
        assertArrayEquals(
                new double[] {0, 20 / 3.0, 40 / 3.0, 40 / 3.0}, CameraPoseSequence.of(List.of(0.0, 20.0), 4), 1e-9);
    }

    @Test
    void singleValueHoldsAndEmptyMeansNoOverride() {
        assertArrayEquals(new double[] {15, 15, 15}, CameraPoseSequence.of(List.of(15.0), 3), 0);
        assertNull(CameraPoseSequence.of(List.of(), 3));
    }

    @Test
    void degenerateInputsHoldInsteadOfFailing() {
        // the reference divides 0 by 0 here; a zero-length segment gets no frames
        assertArrayEquals(new double[] {5, 5, 5}, CameraPoseSequence.of(List.of(5.0, 5.0), 3), 0);
        assertArrayEquals(new double[] {0, 10, 10}, CameraPoseSequence.of(List.of(0.0, 0.0, 20.0), 3), 1e-9);
        assertArrayEquals(new double[] {7}, CameraPoseSequence.of(List.of(7.0, 9.0), 1), 0);
        assertThrows(InputException.class, () -> CameraPoseSequence.of(List.of(0.0, Double.NaN), 3));
    }
}
