package studio.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Element types found in the checkpoints the app reads (safetensors names). */
public enum DType {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    // Checkpoint formats store little-endian elements, not necessarily aligned to their size.
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public boolean isFloat() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    public static DType parse(String name, String file) {
        try {
            return valueOf(name.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "unsupported tensor type " + name);
        }
    }

    /** Element {@code index} (counted in elements of this type) of little-endian {@code data}, as a float. */
    public float read(MemorySegment data, long index) {
        return switch (this) {
            case F32 -> data.getAtIndex(FLOAT_LE, index);
            case F16 -> Float.float16ToFloat(data.getAtIndex(SHORT_LE, index));
            case BF16 -> Float.intBitsToFloat(data.getAtIndex(SHORT_LE, index) << 16);
            case F64 -> (float) data.getAtIndex(DOUBLE_LE, index);
            case I64 -> data.getAtIndex(LONG_LE, index);
            case I32 -> data.getAtIndex(INT_LE, index);
            case I16 -> data.getAtIndex(SHORT_LE, index);
            case I8 -> data.get(ValueLayout.JAVA_BYTE, index);
            case U8, BOOL -> data.get(ValueLayout.JAVA_BYTE, index) & 0xff;
        };
    }

    /** Fills {@code out} with the contiguous elements of {@code data} from element {@code first} on. */
    public void readInto(MemorySegment data, long first, float[] out) {
        if (this == F32) MemorySegment.copy(data, FLOAT_LE, first * F32.bytes, out, 0, out.length);
        else for (int i = 0; i < out.length; i++) out[i] = read(data, first + i);
    }
}
