package studio.render.builtin;

import java.awt.image.BufferedImage;
import studio.face.Preprocess;
import studio.job.FrameSink;
import studio.job.JobContext;
import studio.job.Stage;
import studio.job.StageProgress;
import studio.job.StudioException;
import studio.motion.LandmarkMotion;
import studio.motion.LandmarkMotionOptions;
import studio.motion.LandmarkMotionPlanner;
import studio.render.Framing;
import studio.render.RenderInput;
import studio.render.TalkingHeadEngine;

/**
 * The engine that needs no downloads: motion planned from the audio (lips, blinks, head pose by
 * style), and the portrait animated by warping a triangle mesh over its 68 landmarks. Runs faster
 * than real time on a laptop CPU.
 */
public final class BuiltinEngine implements TalkingHeadEngine {
    /**
     * @param motion     how the planned motion is shaped
     * @param preprocess how the portrait is framed
     * @param size       face crop size, 256 or 512
     */
    public record Options(LandmarkMotionOptions motion, Preprocess preprocess, int size) {
        public static Options defaults() {
            return new Options(LandmarkMotionOptions.defaults(), Preprocess.CROP, 256);
        }
    }

    private final Options options;

    public BuiltinEngine(Options options) {
        this.options = options;
    }

    @Override
    public String id() {
        return "builtin";
    }

    @Override
    public String describe() {
        return "built-in engine: landmark mesh warp driven by loudness, formants and lip closures (no neural checkpoints)";
    }

    @Override
    public void render(RenderInput input, FrameSink sink, JobContext job) {
        if (input.face() == null || input.face().landmarks() == null)
            throw new StudioException(input.image() + ": no face landmarks to animate");
        int n = input.audio().numFrames();
        StageProgress motionStage = job.stage(Stage.MOTION, n);
        LandmarkMotion[] motion = LandmarkMotionPlanner.plan(input.audio(), options.motion());
        motionStage.advance(n);

        StageProgress renderStage = job.stage(Stage.RENDER, n);
        try (Framing framing = Framing.of(input, options.preprocess(), options.size());
                FaceAnimator animator = new FaceAnimator(framing.picture(), framing.landmarks())) {
            for (int i = 0; i < n; i++) {
                BufferedImage frame = framing.compose(animator.frame(motion[i]));
                sink.accept(frame);
                renderStage.advance(1);
            }
        }
    }
}
