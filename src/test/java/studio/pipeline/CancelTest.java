package studio.pipeline;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.job.Cancellation;
import studio.job.CancelledException;
import studio.job.JobContext;
import studio.job.ProgressListener;
import studio.job.Stage;

/** Cancelling mid-way leaves no file and releases what the job opened. */
class CancelTest {
    @TempDir
    Path dir;

    private static long openFiles() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void cancelledRenderLeavesNothing() throws Exception {
        Path out = dir.resolve("talk.mp4");
        RenderOptions o = RenderOptions.defaults(Path.of("samples/astronaut.png"), Path.of("samples/speech.wav"), out);
        RenderPipeline.render(
                o.withOutput(dir.resolve("warmup.mp4")), JobContext.quiet()); // loads native libraries once
        Files.delete(dir.resolve("warmup.mp4"));
        long before = openFiles();
        Cancellation cancel = new Cancellation();
        AtomicLong encoded = new AtomicLong();
        ProgressListener l = p -> {
            if (p.stage() == Stage.ENCODE) encoded.set(p.done());
            if (p.stage() == Stage.ENCODE && p.done() >= 20) cancel.cancel();
        };
        assertThrows(CancelledException.class, () -> RenderPipeline.render(o, new JobContext(l, cancel)));
        assertTrue(encoded.get() >= 20 && encoded.get() < 175, "cancelled mid-way, at frame " + encoded.get());
        assertFalse(Files.exists(out));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "no partial or temporary file");
        }
        assertTrue(openFiles() <= before, "file handles released (" + openFiles() + " open, " + before + " before)");
    }
}
