package studio.render.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import studio.bench.ProceduralFaceWeights;
import studio.golden.Golden;
import studio.job.Cancellation;
import studio.job.JobContext;
import studio.job.Progress;
import studio.weights.CheckpointException;

/**
 * End to end through {@link FaceRenderer#render} with full-size procedural weights: frames are
 * streamed in order, one per coefficient row, across batches; identical coefficients give
 * identical frames whatever batch they fall in, different coefficients give different frames.
 */
class FaceRendererTest {
    private static Path schema() {
        Path p = Golden.require("sadtalker/schema.json");
        return p;
    }

    @Test
    void rendersOneFramePerCoefficientRowAndFollowsTheCoefficients() throws Exception {
        Path schema = schema();
        BufferedImage portrait = ImageIO.read(Path.of("samples/astronaut.png").toFile());
        BufferedImage crop =
                portrait.getSubimage(0, 0, Math.min(300, portrait.getWidth()), Math.min(300, portrait.getHeight()));
        Random r = new Random(7);
        float[] source = new float[70];
        for (int i = 0; i < 70; i++) source[i] = (float) (r.nextGaussian() * 0.3);
        float[][] same = new float[3][];
        for (int f = 0; f < 3; f++) same[f] = source.clone();
        float[][] other = {source.clone()};
        for (int i = 0; i < 70; i++) other[0][i] += (float) (r.nextGaussian() * 1.5);

        List<BufferedImage> frames = new ArrayList<>();
        List<Progress> progress = new ArrayList<>();
        JobContext job = new JobContext(progress::add, new Cancellation());
        try (FaceRenderer renderer = FaceRenderer.open(
                ProceduralFaceWeights.generatorKp(schema, "crop"),
                ProceduralFaceWeights.mapping(schema, "crop"),
                false,
                256)) {
            renderer.render(
                    crop,
                    source,
                    same,
                    new FaceRenderer.Options(1.0, false, 2, List.of(), List.of(), List.of()),
                    frames::add,
                    job);
            assertEquals(3, frames.size(), "one frame per coefficient row");
            Progress last = progress.get(progress.size() - 1);
            assertEquals(3, last.done());
            assertEquals(3, last.total());
            for (BufferedImage f : frames) {
                assertEquals(256, f.getWidth());
                assertEquals(256, f.getHeight());
                assertEquals(BufferedImage.TYPE_3BYTE_BGR, f.getType());
            }
            // frames 0, 1 share a batch, frame 2 is alone in the next one: same coefficients, same picture
            // (up to float rounding, which differs between batch sizes inside libtorch's convolutions)
            assertEquals(0, maxDiff(frames.get(0), frames.get(1)), "frames 0/1 of one batch");
            assertTrue(
                    maxDiff(frames.get(0), frames.get(2)) <= 4,
                    "frames 0/2 differ by " + maxDiff(frames.get(0), frames.get(2)));
            assertTrue(
                    meanDiff(frames.get(0), frames.get(2)) < 0.05,
                    "frames 0/2 differ by " + meanDiff(frames.get(0), frames.get(2)));

            int held = renderer.liveArrays();
            List<BufferedImage> moved = new ArrayList<>();
            renderer.render(crop, source, other, FaceRenderer.Options.defaults(), moved::add, JobContext.quiet());
            // memory stays flat over a long clip only if no frame leaves an array behind in the weights' manager
            assertEquals(held, renderer.liveArrays(), "arrays left behind by a render");
            assertEquals(1, moved.size());
            double d = meanDiff(frames.get(0), moved.get(0));
            assertTrue(d > 0.5, "different coefficients should move the picture; mean difference " + d);
        }
    }

    /**
     * The 512 release runs the same architecture on a 512 crop (SadTalker's facerender.yaml for both
     * sizes): every map is twice as large, and the frame follows the coefficients as at 256.
     */
    @Test
    void rendersAt512() throws Exception {
        Path schema = schema();
        BufferedImage portrait = ImageIO.read(Path.of("samples/astronaut.png").toFile());
        Random r = new Random(3);
        float[] source = new float[70];
        for (int i = 0; i < 70; i++) source[i] = (float) (r.nextGaussian() * 0.3);
        float[][] rows = {source.clone(), source.clone()};
        for (int i = 0; i < 70; i++) rows[1][i] += (float) (r.nextGaussian() * 1.5);
        List<BufferedImage> frames = new ArrayList<>();
        try (FaceRenderer renderer = FaceRenderer.open(
                ProceduralFaceWeights.generatorKp(schema, "crop"),
                ProceduralFaceWeights.mapping(schema, "crop"),
                false,
                512)) {
            renderer.render(
                    portrait,
                    source,
                    rows,
                    new FaceRenderer.Options(1.0, false, 1, List.of(), List.of(), List.of()),
                    frames::add,
                    JobContext.quiet());
        }
        assertEquals(2, frames.size());
        for (BufferedImage f : frames) {
            assertEquals(512, f.getWidth());
            assertEquals(512, f.getHeight());
        }
        double d = meanDiff(frames.get(0), frames.get(1));
        assertTrue(d > 0.5, "different coefficients should move the picture at 512; mean difference " + d);
    }

    @Test
    void wrongMappingVariantIsACheckpointError() {
        Path schema = schema();
        CheckpointException e = assertThrows(
                CheckpointException.class,
                () -> FaceRenderer.open(
                        ProceduralFaceWeights.generatorKp(schema, "full"),
                        ProceduralFaceWeights.mapping(schema, "crop"),
                        true,
                        256));
        assertTrue(e.getMessage().contains("mapping_00109"), e.getMessage());
    }

    private static int maxDiff(BufferedImage a, BufferedImage b) {
        byte[] x = bytes(a), y = bytes(b);
        int m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i] & 0xff) - (y[i] & 0xff)));
        return m;
    }

    private static double meanDiff(BufferedImage a, BufferedImage b) {
        byte[] x = bytes(a), y = bytes(b);
        long s = 0;
        for (int i = 0; i < x.length; i++) s += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
        return (double) s / x.length;
    }

    private static byte[] bytes(BufferedImage img) {
        return Arrays.copyOf(
                ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), img.getWidth() * img.getHeight() * 3);
    }
}
