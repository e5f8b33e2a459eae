package studio.weights;

/** Element types found in the checkpoints the app reads (safetensors names). */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

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
}
