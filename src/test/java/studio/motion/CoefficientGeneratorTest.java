package studio.motion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioFeatures;
import studio.face.Face;
import studio.golden.Golden;
import studio.job.InputException;
import studio.weights.CheckpointException;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensors;

/**
 * The public motion entry point: audio features → F x 70 exactly as the golden-checked networks
 * compute from SadTalker's mel windows, and the reference-video options as SadTalker applies them.
 */
class CoefficientGeneratorTest {
    static CoefficientGenerator generator;
    static Audio2Coeff direct;
    static AudioFeatures audio;
    static float[] goldenMels;
    static float[] source70;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String g : new String[] {"audio2exp", "audio2pose", "face_3drecon"})
            shapes.putAll(Golden.schema("sadtalker/schema.json", g));
        generator = CoefficientGenerator.fromStateDict(new ProceduralWeights("", shapes));
        direct = Audio2Coeff.load(new ProceduralWeights("", shapes));
        try (SafeTensors mel = Golden.open("sadtalker/mel.safetensors");
                SafeTensors a2c = Golden.open("sadtalker/audio2coeff.safetensors")) {
            int frames = Integer.parseInt(mel.metadata().get("num_frames"));
            float[] wav = Arrays.copyOf(mel.floats("in.wav"), frames * 640);
            float[] m = mel.floats("out.mel");
            audio = new AudioFeatures(wav, frames, m, m.length / 80);
            goldenMels = a2c.floats("in.indiv_mels");
            source70 = a2c.floats("in.ref_coeff");
        }
    }

    @AfterAll
    static void tearDown() {
        if (generator != null) generator.close();
        if (direct != null) direct.close();
    }

    private static NoiseSource fixedNoise() {
        return NoiseSource.gaussian(42);
    }

    private static float[] noBlink(int style) {
        return generator.generate(
                audio, source70, MotionOptions.defaults().withBlink(false).withPoseStyle(style), fixedNoise());
    }

    @Test
    void audioFeaturesDriveTheGoldenCheckedNetworks() {
        int frames = audio.numFrames();
        float[] ref = new float[frames * 70];
        for (int f = 0; f < frames; f++) System.arraycopy(source70, 0, ref, f * 70, 70);
        float[] expected = direct.generate(goldenMels, frames, ref, new float[frames], 7, fixedNoise())
                .coefficients();
        assertArrayEquals(expected, noBlink(7));
        // The 257-coefficient source reduces to the same 70.
        float[] full = new float[257];
        System.arraycopy(source70, 0, full, 80, 64);
        System.arraycopy(source70, 64, full, 224, 3);
        System.arraycopy(source70, 67, full, 254, 3);
        assertArrayEquals(
                expected,
                generator.generate(
                        audio, full, MotionOptions.defaults().withBlink(false).withPoseStyle(7), fixedNoise()));
    }

    @Test
    void referencePoseAddsItsRelativeMotionLooped() {
        int frames = audio.numFrames(), refFrames = 20;
        float[] refPose = new float[refFrames * 70];
        Random r = new Random(3);
        for (int i = 0; i < refPose.length; i++) refPose[i] = (float) r.nextGaussian();
        float[] plain = noBlink(0);
        float[] withRef = generator.generate(
                audio, source70, MotionOptions.defaults().withBlink(false).withRefPose(refPose), fixedNoise());
        for (int f = 0; f < frames; f++)
            for (int k = 0; k < 70; k++) {
                float delta = k < 64 ? 0 : refPose[(f % refFrames) * 70 + k] - refPose[k];
                assertEquals(plain[f * 70 + k] + delta, withRef[f * 70 + k], 1e-5, "frame " + f + " coeff " + k);
            }
    }

    @Test
    void referenceEyeblinkReplacesTheExpressionReference() {
        int frames = audio.numFrames();
        // A reference video whose expression is the source's: the same as no blinking.
        float[] same = Arrays.copyOf(source70, 70);
        assertArrayEquals(
                noBlink(0),
                generator.generate(audio, source70, MotionOptions.defaults().withRefEyeblink(same), fixedNoise()));
        float[] other = new float[3 * 70];
        Arrays.fill(other, 0.3f);
        float[] changed =
                generator.generate(audio, source70, MotionOptions.defaults().withRefEyeblink(other), fixedNoise());
        float[] plain = noBlink(0);
        boolean expDiffers = false;
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k < 64; k++) expDiffers |= plain[f * 70 + k] != changed[f * 70 + k];
            for (int k = 64; k < 70; k++) assertEquals(plain[f * 70 + k], changed[f * 70 + k], "pose is not affected");
        }
        assertTrue(expDiffers);
    }

    @Test
    void expressionScaleMultipliesExpressionOnly() {
        float[] plain = noBlink(0);
        float[] scaled = generator.generate(
                audio, source70, MotionOptions.defaults().withBlink(false).withExpressionScale(2), fixedNoise());
        for (int i = 0; i < plain.length; i++)
            assertEquals(i % 70 < 64 ? 2 * plain[i] : plain[i], scaled[i], 1e-6 * (1 + Math.abs(plain[i])));
    }

    @Test
    void blinkSequenceFollowsSadTalker() {
        assertArrayEquals(new float[20], BlinkSchedule.sadTalkerFloat(20, 1));
        float[] b = BlinkSchedule.sadTalkerFloat(500, 1);
        int blinks = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 1.0f) {
                blinks++;
                assertArrayEquals(new float[] {0.5f, 0.9f, 1f, 0.9f, 0.5f}, Arrays.copyOfRange(b, i - 2, i + 3));
            }
        }
        assertTrue(blinks >= 500 / 75 && blinks <= 500 / 15, "blinks " + blinks);
        assertEquals(0f, b[0] + b[9]); // the first blink starts at frame 10 or later
    }

    @Test
    void badInputsAreReported() {
        assertThrows(
                InputException.class,
                () -> generator.generate(
                        audio, source70, MotionOptions.defaults().withPoseStyle(46)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CoefficientGenerator.open(tmp, 256));
        assertTrue(e.getMessage().contains("SadTalker_V0.0.2_256.safetensors"), e.getMessage());
        assertThrows(InputException.class, () -> CoefficientGenerator.open(tmp, 300));
    }

    @Test
    void savedCoefficientsRoundTrip() {
        float[] coeffs = noBlink(0);
        float[] src = new float[257];
        for (int i = 0; i < 257; i++) src[i] = i * 0.01f;
        Path file = tmp.resolve("out/coeffs.safetensors");
        CoefficientFile.write(file, coeffs, src);
        assertArrayEquals(coeffs, CoefficientFile.readCoefficients(file));
        assertArrayEquals(src, CoefficientFile.readSource(file));
        try (SafeTensors s = SafeTensors.open(file)) {
            assertArrayEquals(
                    new long[] {audio.numFrames(), 70}, s.info("coeff_3dmm").shape());
            assertEquals(CoefficientFile.FORMAT, s.metadata().get("format"));
        }
        Path noSource = tmp.resolve("b.safetensors");
        CoefficientFile.write(noSource, coeffs, null);
        assertNull(CoefficientFile.readSource(noSource));
        // A saved file feeds back as a reference video.
        float[] again = generator.generate(
                audio,
                source70,
                MotionOptions.defaults().withBlink(false).withRefPose(CoefficientFile.readCoefficients(file)),
                fixedNoise());
        assertEquals(coeffs.length, again.length);
    }

    @Test
    void referenceVideoGivesCoefficientsPerFrame() throws Exception {
        BufferedImage portrait = ImageIO.read(
                Path.of("src/test/resources/motion/align_input.png").toFile());
        double[] lm = new double[136];
        var lines = Files.readAllLines(Path.of("src/test/resources/motion/align_near_landmarks.txt"));
        for (int i = 0; i < 68; i++) {
            String[] xy = lines.get(i).trim().split("\\s+");
            lm[2 * i] = Double.parseDouble(xy[0]);
            lm[2 * i + 1] = Double.parseDouble(xy[1]);
        }
        Face face = new Face(0, 0, 256, 256, 1, lm);
        Path video = tmp.resolve("ref.mp4");
        try (var rec = new FFmpegFrameRecorder(video.toFile(), 256, 256);
                var conv = new Java2DFrameConverter()) {
            rec.setFormat("mp4");
            rec.setFrameRate(25);
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            rec.setVideoQuality(1);
            rec.start();
            for (int i = 0; i < 4; i++) rec.record(conv.convert(portrait));
            rec.stop();
        }
        int[] calls = {0};
        float[] coeffs = ReferenceVideo.coefficients(video, generator, img -> calls[0]++ == 2 ? null : face);
        assertEquals(4 * 70, coeffs.length);
        // Frame 2 had no face: it repeats frame 1.
        assertArrayEquals(Arrays.copyOfRange(coeffs, 70, 140), Arrays.copyOfRange(coeffs, 140, 210));
        // Each frame is net_recon on the aligned (lossily encoded) portrait: close to the original's.
        float[] still = NetRecon.motionCoefficients(generator.faceCoefficients(portrait, face));
        Golden.assertClose("frame 0 vs portrait", still, Arrays.copyOfRange(coeffs, 0, 70), 0.05);
        InputException e =
                assertThrows(InputException.class, () -> ReferenceVideo.coefficients(video, generator, img -> null));
        assertTrue(e.getMessage().contains("ref.mp4") && e.getMessage().contains("no face"), e.getMessage());
        // A saved coefficient file is a valid reference too.
        Path saved = tmp.resolve("saved.safetensors");
        CoefficientFile.write(saved, coeffs, null);
        assertArrayEquals(coeffs, ReferenceVideo.coefficients(saved, generator, img -> null));
    }
}
