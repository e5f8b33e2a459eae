package studio.render;

import studio.job.JobContext;
import studio.job.FrameSink;

/**
 * Turns a prepared portrait and audio into frames: motion (coefficients or landmark motion) and
 * rendering. Frames are streamed to the sink as they are made; nothing keeps the whole video.
 */
public interface TalkingHeadEngine extends AutoCloseable {
    /** Short id shown to users and written to the MP4 metadata, e.g. "builtin" or "sadtalker". */
    String id();

    /** One line: what renders and with which models. */
    String describe();

    /** Produces exactly {@code input.audio().numFrames()} frames of the output size, in order. */
    void render(RenderInput input, FrameSink sink, JobContext job);

    @Override
    default void close() {}
}
