package studio.render;

import java.util.Set;
import studio.job.FrameSink;
import studio.job.JobContext;

/**
 * Turns a prepared portrait and audio into frames: motion (coefficients or landmark motion) and
 * rendering. Frames are streamed to the sink as they are made; nothing keeps the whole video.
 */
public interface TalkingHeadEngine extends AutoCloseable {
    /** Short id shown to users and written to the MP4 metadata, e.g. "builtin" or "sadtalker". */
    String id();

    /** One line: what renders and with which models. */
    String describe();

    /** Controls of the motion beyond audio and pose style that an engine may honour. */
    enum Capability {
        /** Blinks or head pose taken from a reference video ({@code --ref-eyeblink}, {@code --ref-pose}). */
        REFERENCE_VIDEOS,
        /** Head-angle keyframes ({@code --input-yaw/pitch/roll}). */
        HEAD_ANGLE_KEYFRAMES,
        /** The motion coefficients written to a file ({@code --save-coeffs}). */
        COEFFICIENT_EXPORT
    }

    /** What this engine honours of {@link Capability}; the job refuses options it would ignore. */
    default Set<Capability> capabilities() {
        return Set.of();
    }

    /** Produces exactly {@code input.audio().numFrames()} frames of the output size, in order. */
    void render(RenderInput input, FrameSink sink, JobContext job);

    @Override
    default void close() {}
}
