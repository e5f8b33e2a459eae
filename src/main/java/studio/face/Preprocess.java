package studio.face;

/**
 * How the portrait is framed for the face renderer, SadTalker's {@code --preprocess}: {@code crop}
 * the face region, {@code resize} the whole picture, {@code full} crop and paste back into the
 * picture, and the {@code ext} variants with a larger crop.
 */
public enum Preprocess {
    CROP,
    RESIZE,
    FULL,
    EXTCROP,
    EXTFULL;

    /** Whether the animated face is pasted back into the whole picture. */
    public boolean pastesBack() {
        return this == FULL || this == EXTFULL;
    }

    public String id() {
        return name().toLowerCase();
    }
}
