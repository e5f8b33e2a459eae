package studio.render.neural;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioLoader;
import studio.bench.ProceduralFaceWeights;
import studio.cli.StudioCli;
import studio.golden.Golden;
import studio.motion.CoefficientFile;
import studio.testing.Mp4Probe;
import studio.testing.TestMedia;

/**
 * The neural engine end to end through the CLI, with full-size procedural weights written in the
 * released file layout (the golden rule; the pictures are meaningless, the plumbing is real).
 */
class SadTalkerCliTest {
    @TempDir
    Path dir;

    @Test
    void rendersThroughTheCliWithReleasedFileLayout() throws Exception {
        Path ckpt = dir.resolve("checkpoints");
        Path schema = Golden.require("sadtalker/schema.json");
        ProceduralFaceWeights.writeCheckpointFolder(schema, ckpt);

        Path audio = TestMedia.speech(dir, "hi", "Hello there. This is a short test of the neural engine.");
        int frames = AudioLoader.decode(audio, 16000, 1).length / 640;
        Path out = dir.resolve("neural.mp4"), coeffs = dir.resolve("coeffs.safetensors");
        int code = StudioCli.execute(
                "render",
                "-q",
                "-i",
                "samples/astronaut.png",
                "-a",
                audio.toString(),
                "-o",
                out.toString(),
                "--checkpoint-dir",
                ckpt.toString(),
                "--engine",
                "sadtalker",
                "--batch-size",
                "2",
                "--save-coeffs",
                coeffs.toString());
        assertEquals(0, code);

        Mp4Probe p = Mp4Probe.read(out);
        assertEquals(frames, p.videoFrames());
        assertEquals(frames / 25.0, p.audioSeconds(), 1 / 25.0);
        assertTrue(p.comment().contains("engine=sadtalker"), p.comment());
        assertEquals(256, p.width());

        float[] c = CoefficientFile.readCoefficients(coeffs);
        assertEquals(frames * 70, c.length);
        List<byte[]> pixels = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(out.toFile());
                Java2DFrameConverter conv = new Java2DFrameConverter()) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                BufferedImage img = conv.convert(f);
                BufferedImage copy = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
                copy.createGraphics().drawImage(img, 0, 0, null);
                pixels.add(((DataBufferByte) copy.getRaster().getDataBuffer()).getData());
            }
        }
        int differing = 0, pairs = 0;
        for (int i = 1; i < frames; i++) {
            boolean coeffDiffer = false;
            for (int k = 0; k < 70; k++) coeffDiffer |= Math.abs(c[i * 70 + k] - c[(i - 1) * 70 + k]) > 1e-4;
            if (!coeffDiffer) continue;
            pairs++;
            if (meanAbsDiff(pixels.get(i), pixels.get(i - 1)) > 0.05) differing++;
        }
        assertTrue(pairs > frames / 2, "the motion varies over the clip");
        assertEquals(pairs, differing, "every frame whose coefficients changed looks different");
    }

    private static double meanAbsDiff(byte[] a, byte[] b) {
        long s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        return s / (double) a.length;
    }
}
