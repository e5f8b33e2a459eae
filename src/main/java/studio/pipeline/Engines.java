package studio.pipeline;

import studio.pipeline.RenderOptions;
import studio.job.StudioException;
import studio.render.builtin.BuiltinEngine;
import studio.render.neural.SadTalkerEngine;
import studio.render.TalkingHeadEngine;

/** Picks the engine for a job: SadTalker when its checkpoints are present (or asked for), else the built-in one. */
public final class Engines {
    private Engines() {}

    public static TalkingHeadEngine select(RenderOptions o) {
        return switch (o.engine()) {
            case BUILTIN -> new BuiltinEngine();
            case SADTALKER -> {
                if (!SadTalkerEngine.available(o)) throw new StudioException(SadTalkerEngine.missing(o));
                yield new SadTalkerEngine(o);
            }
            case AUTO -> SadTalkerEngine.available(o) ? new SadTalkerEngine(o) : new BuiltinEngine();
        };
    }

    /** Why AUTO picks what it picks, for the CLI and the app. */
    public static String reason(RenderOptions o) {
        return switch (o.engine()) {
            case BUILTIN -> "built-in engine chosen";
            case SADTALKER -> "sadtalker engine chosen";
            case AUTO -> SadTalkerEngine.available(o) ? "SadTalker checkpoints found in " + o.checkpointDir()
                    : "no SadTalker checkpoints in " + o.checkpointDir() + ": using the built-in engine";
        };
    }
}
