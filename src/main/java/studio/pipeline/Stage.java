package studio.pipeline;

/** The stages of a render job, in the order the data passes through them. */
public enum Stage {
    AUDIO("audio"), FACE("face"), MOTION("motion"), RENDER("render"), ENHANCE("enhance"), ENCODE("encode");

    public final String label;

    Stage(String label) {
        this.label = label;
    }
}
