package studio.job;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The stages of a render job, in the order the data passes through them ({@link #AUDIO} to
 * {@link #ENCODE}), then {@link #GENERATE}: a Stable Diffusion portrait generation, a job of its own.
 */
public enum Stage {
    AUDIO("audio"),
    FACE("face"),
    MOTION("motion"),
    RENDER("render"),
    ENHANCE("enhance"),
    ENCODE("encode"),
    GENERATE("generate");

    /** The stages a talking-head render passes through. */
    public static final Set<Stage> RENDER_STAGES = Collections.unmodifiableSet(EnumSet.range(AUDIO, ENCODE));

    public final String label;

    Stage(String label) {
        this.label = label;
    }
}
