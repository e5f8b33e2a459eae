package studio.render.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SadTalker's transform_semantic_target and the coefficient adjustments of get_facerender_data. */
class CoefficientWindowsTest {
    private static float[][] sequence(int frames) {
        float[][] c = new float[frames][70];
        for (int f = 0; f < frames; f++) for (int i = 0; i < 70; i++) c[f][i] = f * 100 + i;
        return c;
    }

    @Test
    void windowsAreClampedAt27Frames() {
        CoefficientWindows w = new CoefficientWindows(new float[70], sequence(20), 70, 1.0, false);
        float[] out = new float[70 * 27];
        w.window(0, out, 0);
        // frame 0: positions 0..13 read frame 0 (clamped), position 14 reads frame 1, position 26 frame 13
        assertEquals(5f, out[5 * 27], 0);
        assertEquals(5f, out[5 * 27 + 13], 0);
        assertEquals(105f, out[5 * 27 + 14], 0);
        assertEquals(1305f, out[5 * 27 + 26], 0);
        w.window(19, out, 0);
        assertEquals(605f, out[5 * 27], 0); // 19 - 13 = 6
        assertEquals(1905f, out[5 * 27 + 13], 0);
        assertEquals(1905f, out[5 * 27 + 26], 0); // clamped to the last frame
    }

    @Test
    void expressionScaleFullModeAndStill() {
        float[] source = new float[73];
        for (int i = 0; i < 73; i++) source[i] = -1 - i;
        float[] out = new float[73 * 27];
        new CoefficientWindows(source, sequence(3), 73, 2.0, false).window(1, out, 0);
        assertEquals(2 * 105f, out[5 * 27 + 13], 0); // expression scaled
        assertEquals(165f, out[65 * 27 + 13], 0); // pose untouched
        assertEquals(-72f, out[71 * 27 + 13], 0); // crop parameters from the source
        new CoefficientWindows(source, sequence(3), 73, 1.0, true).window(1, out, 0);
        assertEquals(105f, out[5 * 27 + 13], 0);
        assertEquals(-66f, out[65 * 27 + 13], 0); // still: pose from the source
        float[] sw = CoefficientWindows.sourceWindow(source, 73);
        assertEquals(-11f, sw[10 * 27 + 26], 0);
    }
}
