package studio.render.builtin;

import static org.junit.jupiter.api.Assertions.*;

import be.tarsos.dsp.util.fft.FFT;
import java.awt.Rectangle;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioFeatures;
import studio.face.Face;
import studio.face.FaceStage;
import studio.face.Preprocess;
import studio.job.JobContext;
import studio.motion.LandmarkMotion;
import studio.motion.LandmarkMotionOptions;
import studio.motion.LandmarkMotionPlanner;
import studio.motion.SpokenSamples;
import studio.render.Framing;
import studio.render.RenderInput;

/**
 * What a viewer judges, measured on the rendered pixels by an independent 68-point detector (the
 * face-api.js SSD and landmark nets re-run on every frame), on three portraits the engine was not
 * tuned on — a photo with glasses (Grace Hopper, public domain, from Debian's matplotlib data), a
 * painting with a beard (Van Gogh's Père Tanguy, public domain, from Debian's GCompris data) and
 * the sample astronaut — and a darkened copy of one, with real espeak-ng speech in English and
 * Mandarin. See src/test/resources/builtin/portraits/LICENSES.md.
 */
class BuiltinRealismTest {
    static FaceStage faces;
    static Map<String, BufferedImage> portraits;
    static Path dir;

    @BeforeAll
    static void setUp(@TempDir Path tmp) throws Exception {
        dir = tmp;
        faces = FaceStage.open(Path.of("checkpoints"));
        Path res = Path.of("src/test/resources/builtin/portraits");
        BufferedImage hopper =
                BuiltinFixtures.bgr(ImageIO.read(res.resolve("grace_hopper.jpg").toFile()));
        portraits = Map.of(
                "hopper", hopper,
                "tanguy",
                        BuiltinFixtures.bgr(
                                ImageIO.read(res.resolve("pere-tanguy.png").toFile())),
                "astronaut", BuiltinFixtures.astronaut(),
                "dark hopper", darken(hopper, 0.28));
    }

    @AfterAll
    static void tearDown() {
        if (faces != null) faces.close();
    }

    static BufferedImage darken(BufferedImage img, double f) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] a = BuiltinEngineTest.bytes(img), b = BuiltinEngineTest.bytes(out);
        for (int i = 0; i < a.length; i++) b[i] = (byte) Math.round((a[i] & 0xff) * f);
        return out;
    }

    static RenderInput input(String name, AudioFeatures audio) {
        BufferedImage p = portraits.get(name);
        return new RenderInput(Path.of(name + ".png"), p, faces.primaryFace(p, Path.of(name)), audio);
    }

    /** Landmarks re-detected on a frame, or null when the detector finds no face. */
    static double[] detect(BufferedImage frame) {
        List<Face> found = faces.detect(frame);
        return found.isEmpty() ? null : found.getFirst().landmarks();
    }

    static double dist(double[] lm, int a, int b) {
        return Math.hypot(lm[2 * a] - lm[2 * b], lm[2 * a + 1] - lm[2 * b + 1]);
    }

    static double iod(double[] lm) {
        double lx = 0, ly = 0, rx = 0, ry = 0;
        for (int i = 0; i < 6; i++) {
            lx += lm[2 * (36 + i)] / 6;
            ly += lm[2 * (36 + i) + 1] / 6;
            rx += lm[2 * (42 + i)] / 6;
            ry += lm[2 * (42 + i) + 1] / 6;
        }
        return Math.hypot(rx - lx, ry - ly);
    }

    /** Eye-aspect ratio of both eyes (Soukupová and Čech): lid distances over the eye's width. */
    static double ear(double[] lm) {
        return ((dist(lm, 37, 41) + dist(lm, 38, 40)) / (2 * dist(lm, 36, 39))
                        + (dist(lm, 43, 47) + dist(lm, 44, 46)) / (2 * dist(lm, 42, 45)))
                / 2;
    }

    static double innerGap(double[] lm) {
        return (dist(lm, 61, 67) + dist(lm, 62, 66) + dist(lm, 63, 65)) / 3;
    }

    /** Every frame of the engine's render of {@code audio}, re-detected (null where no face is found). */
    static List<double[]> renderAndDetect(String portrait, AudioFeatures audio, int style, boolean still) {
        BuiltinEngine.Options o =
                new BuiltinEngine.Options(new LandmarkMotionOptions(style, still, 1.0, false), Preprocess.EXTCROP, 256);
        List<double[]> out = new ArrayList<>();
        try (BuiltinEngine engine = new BuiltinEngine(o)) {
            engine.render(input(portrait, audio), frame -> out.add(detect(frame)), JobContext.quiet());
        }
        return out;
    }

    /** Median mouth width over IOD in the frames where the voice is loud (over half its peak RMS). */
    static double loudMouthWidth(String portrait, AudioFeatures audio) {
        List<double[]> lms = renderAndDetect(portrait, audio, 0, true);
        double[] rms = SpokenSamples.rms(audio);
        double peak = Arrays.stream(rms).max().orElseThrow();
        List<Double> widths = new ArrayList<>();
        for (int i = 0; i < lms.size(); i++)
            if (rms[i] > 0.5 * peak && lms.get(i) != null) widths.add(dist(lms.get(i), 48, 54) / iod(lms.get(i)));
        assertTrue(widths.size() >= 5, "too few loud frames detected: " + widths.size());
        double[] w = widths.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return w[w.length / 2];
    }

    // Mandarin is given as espeak-ng phonemes: this espeak-ng's cmn voice has no dictionary for
    // these characters and reads 爸爸 as "ba four" ("espeak-ng -v cmn -x" shows it).
    @Test
    void roundedVowelsNarrowTheMouthAndSpreadVowelsWidenIt() throws Exception {
        String[][] voices = {
            {"en-us", "oooo, oooo, oooo.", "eeee, eeee, eeee."}, {"cmn", "[[wu55_ wu55_ wu55]]", "[[ji55_ ji55_ ji55]]"}
        };
        List<String> failed = new ArrayList<>();
        double sum = 0;
        int n = 0;
        for (String[] v : voices) {
            AudioFeatures oo = SpokenSamples.features(SpokenSamples.speak(dir, "oo", v[1], v[0]));
            AudioFeatures ee = SpokenSamples.features(SpokenSamples.speak(dir, "ee", v[2], v[0]));
            for (String portrait : List.of("hopper", "tanguy", "astronaut")) {
                double wo = loudMouthWidth(portrait, oo), we = loudMouthWidth(portrait, ee);
                System.out.printf(
                        "%s %s: mouth width %.3f IOD on \"%s\", %.3f on \"%s\" (%.0f%% smaller)%n",
                        v[0], portrait, wo, v[1], we, v[2], 100 * (1 - wo / we));
                if (wo > 0.97 * we) failed.add(v[0] + " " + portrait + ": oo " + wo + " vs ee " + we);
                sum += 1 - wo / we;
                n++;
            }
        }
        // face-api's landmarks follow mouth width with about a third of the change in the pixels
        // (mouth corners moved 40 % closer in the mesh were measured at 12 % closer), so the 25 % a viewer sees
        // reads here as 5-12 %; every portrait must show it, and on average 6 % or more.
        assertTrue(failed.isEmpty(), String.join("; ", failed));
        assertTrue(sum / n >= 0.06, "mean narrowing from ee to oo " + sum / n);
    }

    /**
     * Closure onsets found in the sound alone, independently of the engine: syllable peaks of the
     * pre-emphasised 20 ms energy, and between two of them the first 5 ms step 15 dB below the
     * first peak (a stop's silence or a nasal's murmur, which pre-emphasis leaves weak). Frames.
     */
    static List<Integer> closureOnsets(float[] x) {
        int hop = 80, win = 320;
        int n = (x.length - win) / hop;
        double[] db = new double[n];
        for (int h = 0; h < n; h++) {
            double e = 1e-12;
            for (int j = 1; j < win; j++) {
                double d = x[h * hop + j] - 0.95 * x[h * hop + j - 1];
                e += d * d;
            }
            db[h] = 10 * Math.log10(e / win);
        }
        double max = Arrays.stream(db).max().orElseThrow();
        List<Integer> peaks = new ArrayList<>();
        for (int h = 2; h < n - 2; h++) {
            boolean local = true;
            for (int k = Math.max(0, h - 16); k <= Math.min(n - 1, h + 16); k++) if (db[k] > db[h]) local = false;
            if (local && db[h] > max - 12) peaks.add(h);
        }
        List<Integer> onsets = new ArrayList<>();
        for (int p = 0; p + 1 < peaks.size(); p++) {
            int a = peaks.get(p), b = peaks.get(p + 1);
            for (int h = a; h < b; h++) {
                if (db[h] < db[a] - 15) {
                    onsets.add(h * hop / AudioFeatures.SAMPLES_PER_FRAME);
                    break;
                }
            }
        }
        return onsets;
    }

    @Test
    void lipsCloseOnPBAndM() throws Exception {
        String[][] voices = {{"en-us", "papa baba mama"}, {"cmn", "[[pa51pa_ ma55ma_ pa55pa55 ma55ma]]"}};
        for (String[] v : voices) {
            float[] samples = SpokenSamples.speak(dir, "pbm", v[1], v[0]);
            AudioFeatures audio = SpokenSamples.features(samples);
            List<Integer> onsets = closureOnsets(samples);
            assertTrue(onsets.size() >= 3, v[0] + ": closures found in the sound: " + onsets);
            List<double[]> lms = renderAndDetect("hopper", audio, 0, false);
            for (int onset : onsets) {
                double best = Double.MAX_VALUE;
                for (int f = Math.max(0, onset - 1); f <= Math.min(lms.size() - 1, onset + 1); f++)
                    if (lms.get(f) != null) best = Math.min(best, innerGap(lms.get(f)) / dist(lms.get(f), 48, 54));
                System.out.printf(
                        "%s closure at frame %d: smallest inner-lip gap %.3f of the mouth width%n", v[0], onset, best);
                assertTrue(
                        best < 0.10,
                        v[0] + ": lips not closed within a frame of the closure at " + onset + ": " + best);
            }
        }
    }

    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) (q * (s.length - 1))];
    }

    @Test
    void mouthInteriorIsNeverBrighterThanTheSkin() {
        for (String name : List.of("hopper", "dark hopper", "tanguy")) {
            try (Framing framing = Framing.of(input(name, null), Preprocess.CROP, 256);
                    FaceAnimator a = new FaceAnimator(framing.picture(), framing.landmarks())) {
                double[] lm = framing.landmarks();
                // the cheeks between the lower eyelid, the nose, the mouth's corner and the jaw
                double[] skin = concat(
                        BuiltinEngineTest.lumaInside(framing.picture(), lm, 1, 2, 3, 4, 48, 31, 39, 40, 41, 36),
                        BuiltinEngineTest.lumaInside(framing.picture(), lm, 15, 14, 13, 12, 54, 35, 42, 47, 46, 45));
                double p90 = percentile(skin, 0.9);
                for (double open : new double[] {0.12, 0.22, 0.36}) {
                    LandmarkMotion m = new LandmarkMotion(open, 0, 0, 0, 0, 0, 0, 0, 0, 0);
                    double[] inner = BuiltinEngineTest.lumaInside(
                            a.frame(m), shrunkMouth(a.rig().targetPoints(m)), 60, 61, 62, 63, 64, 65, 66, 67);
                    double brightest = Arrays.stream(inner).max().orElseThrow();
                    System.out.printf(
                            "%s, open %.2f: brightest interior pixel %.0f, skin 90th percentile %.0f%n",
                            name, open, brightest, p90);
                    assertTrue(
                            brightest <= p90,
                            name + " open " + open + ": interior " + brightest + " > skin p90 " + p90);
                }
            }
        }
    }

    /** The inner-lip points moved 1.5 px towards the mouth's centre: the interior without the lips' anti-aliased edge. */
    static double[] shrunkMouth(double[] pts) {
        double[] out = pts.clone();
        double cx = 0, cy = 0;
        for (int i = 60; i < 68; i++) {
            cx += pts[2 * i] / 8;
            cy += pts[2 * i + 1] / 8;
        }
        for (int i = 60; i < 68; i++) {
            double dx = cx - pts[2 * i], dy = cy - pts[2 * i + 1], d = Math.hypot(dx, dy);
            if (d > 1.5) {
                out[2 * i] += 1.5 * dx / d;
                out[2 * i + 1] += 1.5 * dy / d;
            }
        }
        return out;
    }

    static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * How much of the eyes shows, from the pixels: inside each eye's landmark polygon (of the open
     * frame), the number of pixels darker than 55 % of the cheeks' median luminance — iris, pupil,
     * the gap between open lids — per pixel of eye width; a closed lid leaves only its lash line. face-api's landmark net cannot be used
     * for this: its eye contours barely move when eyes close (face-api.js issues 176 and 660).
     */
    static double eyeOpening(BufferedImage img, double[] lm) {
        byte[] b = BuiltinEngineTest.bytes(img);
        double[] skin = medianColour(img, lm, 1, 2, 3, 4, 48, 31, 39, 40, 41, 36);
        double skinLuma = 0.114 * skin[0] + 0.587 * skin[1] + 0.299 * skin[2];
        double total = 0;
        for (int[] eye : new int[][] {{36, 37, 38, 39, 40, 41}, {42, 43, 44, 45, 46, 47}}) {
            Path2D.Double poly = BuiltinEngineTest.polygon(lm, eye);
            Rectangle r = poly.getBounds();
            int count = 0;
            for (int y = r.y; y <= r.y + r.height; y++)
                for (int x = r.x; x <= r.x + r.width; x++) {
                    if (!poly.contains(x, y)) continue;
                    double[] p = pixel(b, img.getWidth(), x, y);
                    double luma = 0.114 * p[0] + 0.587 * p[1] + 0.299 * p[2];
                    if (luma < 0.55 * skinLuma) count++;
                }
            total += count / Math.max(1.0, r.width) / 2;
            if (System.getProperty("debugEyes") != null)
                System.out.println(
                        "skin " + Arrays.toString(skin) + " eye " + Arrays.toString(medianColour(img, lm, eye)));
        }
        return total;
    }

    static double[] medianColour(BufferedImage img, double[] lm, int... idx) {
        Path2D.Double poly = BuiltinEngineTest.polygon(lm, idx);
        Rectangle r = poly.getBounds();
        byte[] b = BuiltinEngineTest.bytes(img);
        List<double[]> px = new ArrayList<>();
        for (int y = Math.max(0, r.y); y <= Math.min(img.getHeight() - 1, r.y + r.height); y++)
            for (int x = Math.max(0, r.x); x <= Math.min(img.getWidth() - 1, r.x + r.width); x++)
                if (poly.contains(x, y)) px.add(pixel(b, img.getWidth(), x, y));
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            final int ch = c;
            double[] v = px.stream().mapToDouble(p -> p[ch]).sorted().toArray();
            out[c] = v[v.length / 2];
        }
        return out;
    }

    static double[] pixel(byte[] b, int width, int x, int y) {
        int i = 3 * (y * width + x);
        return new double[] {b[i] & 0xff, b[i + 1] & 0xff, b[i + 2] & 0xff};
    }

    @Test
    void blinksCloseTheEyes() {
        List<String> failed = new ArrayList<>();
        for (String name : List.of("hopper", "tanguy", "astronaut", "dark hopper")) {
            try (Framing framing = Framing.of(input(name, null), Preprocess.CROP, 512);
                    FaceAnimator a = new FaceAnimator(framing.picture(), framing.landmarks())) {
                BufferedImage rest = a.frame(LandmarkMotion.REST);
                double[] lm = detect(rest);
                assertNotNull(lm, name + ": no face in the rest frame");
                double open = eyeOpening(rest, lm);
                for (double blink : new double[] {0.9, 1.0}) {
                    BufferedImage frame = a.frame(new LandmarkMotion(0, 0, 0, blink, 0, 0, 0, 0, 0, 0));
                    double shut = eyeOpening(frame, lm);
                    System.out.printf(
                            "%s, blink %.1f: eye opening %.1f px -> %.1f px (%.2f of open)%n",
                            name, blink, open, shut, shut / open);
                    if (shut > 0.45 * open) failed.add(name + " blink " + blink + ": " + shut / open + " of open");
                    assertNotNull(detect(frame), name + ": the face is still found with the eyes shut");
                }
            }
        }
        assertTrue(failed.isEmpty(), String.join("; ", failed));
    }

    /** Share of the largest non-zero frequency bin in the power spectrum of {@code v} (mean removed). */
    static double dominantShare(double[] v) {
        int size = Integer.highestOneBit(v.length);
        float[] buf = new float[2 * size];
        double mean = Arrays.stream(v, 0, size).average().orElse(0);
        for (int i = 0; i < size; i++) buf[i] = (float) (v[i] - mean);
        new FFT(2 * size).forwardTransform(buf);
        float[] mag = new float[size];
        new FFT(2 * size).modulus(buf, mag);
        double total = 0, best = 0;
        for (int k = 1; k < size; k++) {
            double p = (double) mag[k] * mag[k];
            total += p;
            best = Math.max(best, p);
        }
        return total > 0 ? best / total : 1;
    }

    @Test
    void headTurnsWithTheVoiceNotWithAPeriod() throws Exception {
        AudioFeatures speech = SpokenSamples.features(SpokenSamples.speak(dir, "sentences", SpokenSamples.SENTENCES));
        for (int style = 0; style <= 45; style++) {
            LandmarkMotion[] m = LandmarkMotionPlanner.plan(speech, new LandmarkMotionOptions(style, false, 1, true));
            double[] yaw = Arrays.stream(m).mapToDouble(LandmarkMotion::yaw).toArray();
            double range = Arrays.stream(yaw).max().orElseThrow()
                    - Arrays.stream(yaw).min().orElseThrow();
            double share = dominantShare(yaw);
            assertTrue(range >= 6, "style " + style + ": yaw range " + range);
            assertTrue(share <= 0.6, "style " + style + ": one frequency carries " + share + " of the yaw");
        }
        for (int style : new int[] {0, 45}) {
            List<double[]> lms = renderAndDetect("hopper", speech, style, false);
            double[] nose = lms.stream()
                    .filter(l -> l != null)
                    .mapToDouble(l -> l[2 * 30])
                    .toArray();
            double range = Arrays.stream(nose).max().orElseThrow()
                    - Arrays.stream(nose).min().orElseThrow();
            double share = dominantShare(nose);
            System.out.printf(
                    "style %d: the nose moves %.1f px sideways; the largest frequency carries %.0f%%%n",
                    style, range, 100 * share);
            assertTrue(share <= 0.6, "style " + style + ": one frequency carries " + share + " of the sideways motion");
        }
    }
}
