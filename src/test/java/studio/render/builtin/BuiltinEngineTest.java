package studio.render.builtin;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioFeatures;
import studio.face.Face;
import studio.motion.LandmarkMotion;
import studio.motion.LandmarkMotionPlanner;
import studio.motion.SpokenSamples;
import studio.pipeline.CancelledException;
import studio.pipeline.Cancellation;
import studio.pipeline.JobContext;
import studio.pipeline.ProgressListener;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderOptions.Preprocess;
import studio.render.RenderInput;

class BuiltinEngineTest {
    static BufferedImage portrait;
    static double[] landmarks;
    static AudioFeatures speech, shortClip;

    @BeforeAll
    static void setUp(@TempDir Path dir) throws Exception {
        portrait = BuiltinFixtures.astronaut();
        landmarks = BuiltinFixtures.astronautLandmarks();
        speech = SpokenSamples.features(SpokenSamples.speak(dir, "s", "Please call me back before noon, I have a lot to tell you."));
        shortClip = SpokenSamples.features(java.util.Arrays.copyOf(speech.samples(), 20 * AudioFeatures.SAMPLES_PER_FRAME));
    }

    static RenderOptions options(Preprocess mode, int size, int style, boolean still, boolean blink) {
        RenderOptions d = RenderOptions.defaults(Path.of("astronaut.png"), Path.of("speech.wav"), Path.of("out.mp4"));
        return new RenderOptions(d.image(), d.audio(), d.output(), style, mode, still, size, d.enhancer(), d.enhancerStrength(),
                1.0, blink, d.batchSize(), d.engine(), d.checkpointDir(), null, null, null, null, null, null);
    }

    static RenderInput input(AudioFeatures audio, RenderOptions o) {
        return new RenderInput(portrait, new Face(181, 73, 83, 102, 0.96, landmarks), audio, o);
    }

    static List<BufferedImage> render(AudioFeatures audio, RenderOptions o) {
        List<BufferedImage> frames = new ArrayList<>();
        try (BuiltinEngine e = new BuiltinEngine()) {
            e.render(input(audio, o), frames::add, JobContext.quiet());
        }
        return frames;
    }

    static byte[] bytes(BufferedImage img) {
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    @Test
    void everyModeAndSizeGivesOneFramePerAudioFrame() {
        for (Preprocess mode : Preprocess.values()) {
            for (int size : new int[] {256, 512}) {
                List<BufferedImage> frames = render(shortClip, options(mode, size, 0, false, true));
                assertEquals(shortClip.numFrames(), frames.size(), mode + " " + size);
                int w = mode.pastesBack() ? portrait.getWidth() : size, h = mode.pastesBack() ? portrait.getHeight() : size;
                for (BufferedImage f : frames) {
                    assertEquals(w, f.getWidth(), mode + " " + size);
                    assertEquals(h, f.getHeight(), mode + " " + size);
                    assertEquals(BufferedImage.TYPE_3BYTE_BGR, f.getType());
                }
            }
        }
    }

    @Test
    void everyPoseStyleRendersAndMovesTheHead() {
        for (int style = 0; style <= 45; style++) {
            List<BufferedImage> frames = render(speech, options(Preprocess.CROP, 256, style, false, false));
            assertEquals(speech.numFrames(), frames.size());
            assertFalse(java.util.Arrays.equals(bytes(frames.get(0)), bytes(frames.get(frames.size() - 1))), "style " + style);
        }
    }

    @Test
    void sameInputsGiveBitIdenticalFrames() {
        RenderOptions o = options(Preprocess.CROP, 256, 11, false, true);
        List<BufferedImage> a = render(speech, o), b = render(speech, o);
        for (int i = 0; i < a.size(); i++) assertArrayEquals(bytes(a.get(i)), bytes(b.get(i)), "frame " + i);
    }

    @Test
    void cancellationStopsTheRender() {
        Cancellation c = new Cancellation();
        List<BufferedImage> frames = new ArrayList<>();
        try (BuiltinEngine e = new BuiltinEngine()) {
            assertThrows(CancelledException.class, () -> e.render(input(speech, options(Preprocess.CROP, 256, 0, false, true)), f -> {
                frames.add(f);
                if (frames.size() == 3) c.cancel();
            }, new JobContext(ProgressListener.NONE, c)));
        }
        assertTrue(frames.size() < speech.numFrames());
    }

    @Test
    void missingLandmarksAreAClearError() {
        RenderInput in = new RenderInput(portrait, new Face(1, 1, 10, 10, 0.9, null), shortClip, options(Preprocess.CROP, 256, 0, false, true));
        var e = assertThrows(studio.pipeline.StudioException.class, () -> new BuiltinEngine().render(in, f -> {}, JobContext.quiet()));
        assertTrue(e.getMessage().contains("astronaut.png"), e.getMessage());
    }
}
