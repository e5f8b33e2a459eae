package studio.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import studio.nn.ImageTensors.Range;
import studio.nn.ImageTensors.Rounding;

/** The two ways back to bytes stay distinct: each stage's golden output depends on its own. */
class ImageTensorsTest {
    @Test
    void roundAndTruncateDiffer() {
        float v = 0.999f; // 254.745
        assertEquals(255, ImageTensors.toByte(v, Range.UNIT, Rounding.ROUND));
        assertEquals(254, ImageTensors.toByte(v, Range.UNIT, Rounding.TRUNCATE));
        assertEquals(255, ImageTensors.toByte(2 * v - 1, Range.SIGNED, Rounding.ROUND));
        assertEquals(254, ImageTensors.toByte(2 * v - 1, Range.SIGNED, Rounding.TRUNCATE));
    }

    @Test
    void clampsAndMapsNaNToZero() {
        for (Rounding r : Rounding.values())
            for (Range g : Range.values()) {
                assertEquals(0, ImageTensors.toByte(-5f, g, r));
                assertEquals(255, ImageTensors.toByte(5f, g, r));
                assertEquals(0, ImageTensors.toByte(Float.NaN, g, r));
            }
    }

    @Test
    void bytesRoundTrip() {
        for (Range g : Range.values())
            for (int b = 0; b < 256; b++)
                assertEquals(b, ImageTensors.toByte(ImageTensors.toFloat(b, g), g, Rounding.ROUND));
    }
}
