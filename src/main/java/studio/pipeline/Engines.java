package studio.pipeline;

import studio.job.StudioException;
import studio.motion.LandmarkMotionOptions;
import studio.nn.Compute;
import studio.render.TalkingHeadEngine;
import studio.render.builtin.BuiltinEngine;
import studio.render.neural.FaceRenderer;
import studio.render.neural.SadTalkerEngine;

/** Picks the engine for a job: SadTalker when its checkpoints are present (or asked for), else the built-in one. */
public final class Engines {
    private Engines() {}

    public static TalkingHeadEngine select(RenderOptions o) {
        return select(o, Compute.cpu());
    }

    /** As {@link #select(RenderOptions)}, the neural engine running on {@code compute}. */
    public static TalkingHeadEngine select(RenderOptions o, Compute compute) {
        return switch (o.engine()) {
            case BUILTIN -> builtin(o);
            case SADTALKER -> {
                if (!neuralAvailable(o))
                    throw new StudioException(SadTalkerEngine.missing(o.checkpointDir(), o.preprocess(), o.size()));
                yield sadTalker(o, compute);
            }
            case AUTO -> neuralAvailable(o) ? sadTalker(o, compute) : builtin(o);
        };
    }

    /** Whether the job runs networks (the neural engine or GFPGAN), so a device must be chosen. */
    public static boolean runsNetworks(RenderOptions o) {
        boolean neural = switch (o.engine()) {
            case BUILTIN -> false;
            case SADTALKER -> true;
            case AUTO -> neuralAvailable(o);
        };
        return neural || o.enhancer() == RenderOptions.Enhancer.GFPGAN;
    }

    private static boolean neuralAvailable(RenderOptions o) {
        return SadTalkerEngine.available(o.checkpointDir(), o.preprocess(), o.size());
    }

    /** The built-in engine with the options it honours. */
    public static BuiltinEngine builtin(RenderOptions o) {
        return new BuiltinEngine(new BuiltinEngine.Options(landmarkMotion(o), o.preprocess(), o.size()));
    }

    /** The options the built-in engine's motion planner takes. */
    public static LandmarkMotionOptions landmarkMotion(RenderOptions o) {
        return new LandmarkMotionOptions(o.poseStyle(), o.still(), o.expressionScale(), o.blink());
    }

    private static SadTalkerEngine sadTalker(RenderOptions o, Compute compute) {
        FaceRenderer.Options render = new FaceRenderer.Options(
                o.expressionScale(), o.still(), o.batchSize(), o.inputYaw(), o.inputPitch(), o.inputRoll());
        return new SadTalkerEngine(new SadTalkerEngine.Options(
                o.checkpointDir(),
                o.preprocess(),
                o.size(),
                o.poseStyle(),
                o.blink(),
                render,
                o.refPose(),
                o.refEyeblink(),
                o.saveCoeffs(),
                compute));
    }

    /** Why AUTO picks what it picks, for the CLI and the app. */
    public static String reason(RenderOptions o) {
        return switch (o.engine()) {
            case BUILTIN -> "built-in engine chosen";
            case SADTALKER -> "sadtalker engine chosen";
            case AUTO ->
                neuralAvailable(o)
                        ? "SadTalker checkpoints found in " + o.checkpointDir()
                        : "no SadTalker checkpoints in " + o.checkpointDir() + ": using the built-in engine";
        };
    }
}
