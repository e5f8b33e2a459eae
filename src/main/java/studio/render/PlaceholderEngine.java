package studio.render;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import studio.pipeline.JobContext;
import studio.pipeline.Stage;
import studio.pipeline.StageProgress;

/**
 * PLACEHOLDER engine until the face stage and animators land: the still portrait (centre square,
 * resized to the render size) for every frame. It is labelled as such wherever an engine is shown.
 */
public final class PlaceholderEngine implements TalkingHeadEngine {
    @Override
    public String id() {
        return "placeholder";
    }

    @Override
    public String describe() {
        return "placeholder engine: still portrait, no animation (no animation engine in this build)";
    }

    @Override
    public void render(RenderInput input, FrameSink sink, JobContext job) {
        BufferedImage src = input.portrait();
        int side = Math.min(src.getWidth(), src.getHeight());
        int size = input.options().size();
        BufferedImage frame = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = frame.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        int x = (src.getWidth() - side) / 2, y = (src.getHeight() - side) / 2;
        g.drawImage(src, 0, 0, size, size, x, y, x + side, y + side, null);
        g.dispose();
        StageProgress p = job.stage(Stage.RENDER, input.audio().numFrames());
        for (int i = 0; i < input.audio().numFrames(); i++) {
            sink.accept(frame);
            p.advance(1);
        }
    }
}
