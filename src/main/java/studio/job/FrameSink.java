package studio.job;

import java.awt.image.BufferedImage;

/** Receives finished frames in order (TYPE_3BYTE_BGR); the next stage (enhancer, video writer). */
@FunctionalInterface
public interface FrameSink {
    void accept(BufferedImage frame);
}
