package studio.app;

import static org.junit.jupiter.api.Assertions.*;

import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.motion.LandmarkMotion;

/** The pose style slider's preview: it animates, and it shows the chosen style's motion (a still head in still mode). */
@ExtendWith(ApplicationExtension.class)
class PosePreviewTest extends UiTestSupport {
    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void previewFollowsTheStyleAndMoves(FxRobot robot) throws Exception {
        PosePreview preview = window.options.posePreview;
        waitUntil("the preview has a motion plan", 20, () -> preview.motion() != null);
        LandmarkMotion[] style0 = preview.motion();
        assertEquals(PosePreview.SECONDS * 25, style0.length, 1, "a few seconds at 25 fps");

        // It moves: the head outline drawn half a second apart differs, and the yaw range is visible (degrees, not
        // hundredths).
        WritableImage a = fx(() -> preview.snapshot(null, null));
        int f0 = preview.shownFrame();
        waitUntil(
                "the preview advanced 10 frames",
                5,
                () -> Math.floorMod(preview.shownFrame() - f0, style0.length) >= 10);
        WritableImage b = fx(() -> preview.snapshot(null, null));
        assertTrue(differingPixels(a, b) > 20, "the drawn head moved: " + differingPixels(a, b) + " pixels changed");
        assertTrue(range(style0, true) > 2, "style 0 turns the head by degrees: " + range(style0, true));

        // Another style: another motion.
        fx(() -> {
            window.options.poseStyle.setValue(17);
            return null;
        });
        waitUntil("the preview re-planned", 20, () -> preview.motion() != style0);
        LandmarkMotion[] style17 = preview.motion();
        double diff = 0;
        for (int i = 0; i < style17.length; i++)
            diff = Math.max(
                    diff,
                    Math.abs(style17[i].yaw() - style0[i].yaw()) + Math.abs(style17[i].pitch() - style0[i].pitch()));
        assertTrue(diff > 1, "style 17 moves differently from style 0 (max difference " + diff + " degrees)");
        screenshot(stage.getScene(), "pose-preview");

        // Keep head still: the preview's head barely moves (the planner caps still mode at 0.5 degrees).
        robot.clickOn("#still");
        waitUntil("the preview re-planned for still mode", 20, () -> preview.motion() != style17);
        assertTrue(
                range(preview.motion(), true) <= 1.0 && range(preview.motion(), false) <= 1.0,
                "still mode: yaw range " + range(preview.motion(), true) + ", pitch range "
                        + range(preview.motion(), false));
    }

    private static double range(LandmarkMotion[] m, boolean yaw) {
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (LandmarkMotion f : m) {
            double v = yaw ? f.yaw() : f.pitch();
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi - lo;
    }

    private static int differingPixels(WritableImage a, WritableImage b) {
        int n = 0;
        for (int y = 0; y < (int) Math.min(a.getHeight(), b.getHeight()); y++)
            for (int x = 0; x < (int) Math.min(a.getWidth(), b.getWidth()); x++)
                if (a.getPixelReader().getArgb(x, y) != b.getPixelReader().getArgb(x, y)) n++;
        return n;
    }
}
