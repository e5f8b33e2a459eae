package studio.motion;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioFeatures;

class LandmarkMotionPlannerTest {
    static final double PAUSE_SECONDS = 2.0;
    static AudioFeatures speech;
    static AudioFeatures paused;
    static int pauseStart, pauseEnd;

    @BeforeAll
    static void speak(@TempDir Path dir) throws Exception {
        speech = SpokenSamples.features(SpokenSamples.speak(dir, "sentences", SpokenSamples.SENTENCES));
        float[] first = SpokenSamples.speak(dir, "first", "Hello there, my friend.");
        paused = SpokenSamples.features(
                SpokenSamples.speakWithPause(dir, "Hello there, my friend.", PAUSE_SECONDS, "How are you today?"));
        pauseStart = first.length / AudioFeatures.SAMPLES_PER_FRAME + 1;
        pauseEnd = pauseStart + (int) (PAUSE_SECONDS * AudioFeatures.FPS) - 2;
    }

    static LandmarkMotionOptions options(int style, boolean still, double scale, boolean blink) {
        return new LandmarkMotionOptions(style, still, scale, blink);
    }

    @Test
    void mouthOpeningFollowsTheSpeechEnvelope() {
        LandmarkMotion[] m = LandmarkMotionPlanner.plan(speech, options(0, false, 1, true));
        assertEquals(speech.numFrames(), m.length);
        double[] open = new double[m.length];
        for (int i = 0; i < m.length; i++) open[i] = m[i].mouthOpen();
        double r = SpokenSamples.correlation(open, SpokenSamples.rms(speech));
        assertTrue(r > 0.8, "correlation of mouth opening with frame RMS: " + r);
        double max = Arrays.stream(open).max().orElseThrow();
        assertTrue(max > 0.2 && max <= LandmarkMotionPlanner.MAX_OPEN * 1.3, "max opening " + max);
    }

    @Test
    void silenceClosesTheMouth() {
        LandmarkMotion[] m = LandmarkMotionPlanner.plan(paused, options(0, false, 1, true));
        // the lips release within 3 frames (120 ms) of the end of the sound
        for (int i = pauseStart + 3; i < pauseEnd; i++)
            assertEquals(0.0, m[i].mouthOpen(), "frame " + i + " in the pause");
        double before = 0;
        for (int i = 0; i < pauseStart - 2; i++) before = Math.max(before, m[i].mouthOpen());
        assertTrue(before > 0.15, "the mouth opens while speaking: " + before);
    }

    @Test
    void expressionScaleScalesTheLips() {
        LandmarkMotion[] one = LandmarkMotionPlanner.plan(speech, options(0, false, 1, true));
        LandmarkMotion[] none = LandmarkMotionPlanner.plan(speech, options(0, false, 0, true));
        LandmarkMotion[] two = LandmarkMotionPlanner.plan(speech, options(0, false, 2, true));
        for (int i = 0; i < one.length; i++) {
            assertEquals(0, none[i].mouthOpen());
            assertEquals(2 * one[i].mouthOpen(), two[i].mouthOpen(), 1e-12);
        }
    }

    @Test
    void blinksFollowSadTalkersTiming() {
        LandmarkMotion[] m = LandmarkMotionPlanner.plan(speech, options(0, false, 1, true));
        int blinks = 0, lastEnd = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i].blink() > 0 && (i == 0 || m[i - 1].blink() == 0)) {
                assertArrayEquals(
                        new double[] {0.5, 0.9, 1.0, 0.9, 0.5},
                        IntStream.range(i, i + 5).mapToDouble(k -> m[k].blink()).toArray(),
                        "blink at " + i);
                int wait = i - lastEnd;
                assertTrue(wait >= 10 && wait < 70, "wait between blinks " + wait);
                lastEnd = i + 5;
                blinks++;
            }
        }
        double seconds = speech.seconds();
        assertTrue(blinks >= seconds / 4, blinks + " blinks in " + seconds + " s");
        for (LandmarkMotion f : LandmarkMotionPlanner.plan(speech, options(0, false, 1, false)))
            assertEquals(0, f.blink());
    }

    @Test
    void sameInputsSameMotion() {
        assertArrayEquals(
                LandmarkMotionPlanner.plan(speech, options(7, false, 1, true)),
                LandmarkMotionPlanner.plan(speech, options(7, false, 1, true)));
    }

    @Test
    void eachPoseStyleHasItsOwnCharacter() {
        double[][] yaw = new double[46][];
        for (int s = 0; s <= 45; s++) {
            LandmarkMotion[] m = LandmarkMotionPlanner.plan(speech, options(s, false, 1, true));
            yaw[s] = Arrays.stream(m).mapToDouble(LandmarkMotion::yaw).toArray();
            double maxAngle = Arrays.stream(m)
                    .mapToDouble(f -> Math.max(Math.abs(f.yaw()), Math.max(Math.abs(f.pitch()), Math.abs(f.roll()))))
                    .max()
                    .orElseThrow();
            assertTrue(maxAngle > 1 && maxAngle < 20, "style " + s + " moves the head by " + maxAngle + " degrees");
            assertEquals(0, m[0].yaw(), 1e-9, "starts at the photographed pose");
        }
        for (int s = 0; s <= 45; s++)
            for (int t = s + 1; t <= 45; t++)
                assertTrue(
                        SpokenSamples.correlation(yaw[s], yaw[t]) < 0.995, "styles " + s + " and " + t + " move alike");
    }

    @Test
    void speechDrivesTheHead() {
        // the same style moves more while speaking than in the pause
        LandmarkMotion[] m = LandmarkMotionPlanner.plan(paused, options(3, false, 1, true));
        double speaking = 0, silent = 0;
        for (int i = 20; i < pauseStart; i++)
            speaking += Math.abs(m[i].pitch() - m[i - 1].pitch()) + Math.abs(m[i].yaw() - m[i - 1].yaw());
        for (int i = pauseStart + 10; i < pauseEnd; i++)
            silent += Math.abs(m[i].pitch() - m[i - 1].pitch()) + Math.abs(m[i].yaw() - m[i - 1].yaw());
        speaking /= pauseStart - 20;
        silent /= pauseEnd - pauseStart - 10;
        assertTrue(speaking > silent, "head speed speaking " + speaking + " vs silent " + silent);
    }

    @Test
    void stillModeFreezesThePose() {
        for (int s = 0; s <= 45; s++) {
            for (LandmarkMotion f : LandmarkMotionPlanner.plan(speech, options(s, true, 1, true))) {
                assertTrue(
                        Math.abs(f.yaw()) < 1 && Math.abs(f.pitch()) < 1 && Math.abs(f.roll()) < 1,
                        "style " + s + ": " + f);
                assertEquals(0, f.tx());
                assertEquals(0, f.ty());
            }
        }
    }
}
