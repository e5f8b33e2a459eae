package studio.enhance;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import studio.job.FrameSink;

/**
 * The restoration stage between renderer and video writer: collects frames into batches, restores
 * each batch and passes the frames on in order. Holds at most one batch; {@link #finish()} flushes
 * the last, partial batch and {@link #close()} closes the restorer.
 */
public final class RestoringSink implements FrameSink, AutoCloseable {
    private final Function<BufferedImage, FaceRestorer> opener;
    private final int batchSize;
    private final FrameSink downstream;
    private final List<BufferedImage> pending = new ArrayList<>();
    private FaceRestorer restorer;

    /**
     * @param opener   makes the restorer from the first frame (detect its face once, then
     *                 {@link FaceRestorer#open}); called once
     * @param batchSize frames per network call
     */
    public RestoringSink(Function<BufferedImage, FaceRestorer> opener, int batchSize, FrameSink downstream) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size " + batchSize);
        this.opener = opener;
        this.batchSize = batchSize;
        this.downstream = downstream;
    }

    public RestoringSink(FaceRestorer restorer, int batchSize, FrameSink downstream) {
        this(first -> restorer, batchSize, downstream);
    }

    @Override
    public void accept(BufferedImage frame) {
        if (restorer == null) restorer = opener.apply(frame);
        if (!pending.isEmpty()
                && (pending.getFirst().getWidth() != frame.getWidth()
                        || pending.getFirst().getHeight() != frame.getHeight())) flush();
        pending.add(frame);
        if (pending.size() >= batchSize) flush();
    }

    private void flush() {
        if (pending.isEmpty()) return;
        List<BufferedImage> restored = restorer.restore(pending);
        pending.clear();
        restored.forEach(downstream::accept);
    }

    /** Restores and passes on the last, partial batch; call once the renderer is done. */
    public void finish() {
        if (restorer != null) flush();
    }

    /** Releases the network; frames not yet passed on are dropped (the job failed or was cancelled). */
    @Override
    public void close() {
        pending.clear();
        if (restorer != null) restorer.close();
    }
}
