package studio.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.face.Face;
import studio.face.Preprocess;

/** A render from the samples driven only through the window, ending with the video playing in it. */
@ExtendWith(ApplicationExtension.class)
class RenderWindowTest extends UiTestSupport {
    @TempDir
    Path out;

    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void rendersTheSamplesAndPlaysTheVideo(FxRobot robot) throws Exception {
        type(robot, "#portrait-field", "samples/astronaut.png");
        type(robot, "#audio-field", "samples/speech.wav");
        type(robot, "#output-dir", out.toString());
        waitUntil(
                "the portrait and the waveform are loaded",
                30,
                () -> window.inputs.portrait.image() != null
                        && robot.lookup("#audio-duration")
                                .queryAs(Label.class)
                                .getText()
                                .contains("s"));
        String duration = robot.lookup("#audio-duration").queryAs(Label.class).getText();
        assertTrue(duration.startsWith("7."), "clip duration shown: " + duration);

        // The face stage found the astronaut's face: a box in the upper middle of the 512x512 picture, 68 landmarks
        // inside it.
        waitUntil("the face is detected", 60, () -> window.inputs.portrait.face() != null);
        var face = window.inputs.portrait.face();
        assertEquals(136, face.landmarks().length);
        double cx = face.x() + face.width() / 2, cy = face.y() + face.height() / 2;
        assertTrue(
                cx > 120 && cx < 300 && cy > 80 && cy < 300 && face.width() > 60 && face.width() < 250,
                "face box " + face);
        assertTrue(face.lx(30) > face.x() && face.lx(30) < face.x() + face.width(), "nose tip inside the box");
        assertTrue(robot.lookup("#face-status").queryLabeled().getText().startsWith("Face found"));
        checkCropOverlay(robot, face);

        robot.clickOn("#render");
        waitUntil("the render has started", 20, () -> !window.queue().jobs().isEmpty());
        RenderJob job = window.queue().jobs().getFirst();
        waitUntil("the render is done", 120, () -> job.status().finished());
        assertEquals(RenderJob.Status.DONE, job.status(), "render ended with " + job.status() + " " + job.error());
        Path mp4 = job.resultProperty().get().output();
        assertEquals(out, mp4.getParent());
        assertTrue(Files.size(mp4) > 10_000);

        waitUntil(
                "the player has shown 25 frames",
                30,
                () -> window.player().framesShownProperty().get() >= 25);
        assertTrue(window.player().playingProperty().get()
                || window.player().framesShownProperty().get() > 25);
        var shown = window.output.video.getImage();
        assertTrue(contrast(shown) > 10, "the player shows a picture, not a blank area");
        assertShowsFrameOf(shown, mp4);
        String detail = robot.lookup("#detail-encode").queryAs(Label.class).getText();
        assertTrue(detail.contains("175/175"), "encode stage shows frames done/total: " + detail);
        assertTrue(window.output.jobStatus.getText().contains("#1"), window.output.jobStatus.getText());
        screenshot(stage.getScene(), "render-playing");
    }

    /**
     * The dashed outline of the chosen preprocess mode's crop is drawn over the portrait and follows
     * the mode: crop frames the face tightly, extcrop adds a margin around it, resize is the whole
     * picture. Checked on the pixels the view shows (the outline's colour), not only on its model.
     */
    private void checkCropOverlay(FxRobot robot, Face face) throws Exception {
        fx(() -> {
            window.options.preprocess.setValue(Preprocess.CROP);
            return null;
        });
        Rectangle2D crop = window.inputs.portrait.crop();
        assertNotNull(crop, "crop outline shown");
        // SadTalker's crop quad spans about 2x the eye distance around the eyes and mouth: it holds the eyes, nose and
        // mouth
        // and is roughly as wide as the detected box, inside the 512x512 picture.
        for (int i : new int[] {36, 45, 30, 48, 54, 57})
            assertTrue(crop.contains(face.lx(i), face.ly(i)), "landmark " + i + " inside " + crop);
        assertTrue(
                crop.getWidth() > 0.6 * face.width() && crop.getWidth() < 2.5 * face.width(),
                "crop " + crop + " vs face " + face);
        assertTrue(
                crop.getMinX() >= 0 && crop.getMinY() >= 0 && crop.getMaxX() <= 512 && crop.getMaxY() <= 512,
                crop.toString());
        assertEquals(crop, outlineShown(), "the outline on screen is the crop");
        screenshot(stage.getScene(), "crop-overlay-crop");

        robot.clickOn("#preprocess");
        robot.clickOn("extcrop");
        waitUntil("the overlay follows the mode", 5, () -> window.options.preprocess.getValue() == Preprocess.EXTCROP);
        Rectangle2D ext = window.inputs.portrait.crop();
        assertTrue(
                ext.getMinX() < crop.getMinX()
                        && ext.getMinY() < crop.getMinY()
                        && ext.getMaxX() > crop.getMaxX()
                        && ext.getMaxY() > crop.getMaxY(),
                "extcrop " + ext + " has a margin around crop " + crop);
        assertEquals(ext, outlineShown(), "the outline on screen moved to the extcrop region");
        assertTrue(robot.lookup("#face-status").queryLabeled().getText().contains("extcrop"));
        screenshot(stage.getScene(), "crop-overlay-extcrop");

        fx(() -> {
            window.options.size.setValue(512);
            window.options.preprocess.setValue(Preprocess.RESIZE);
            return null;
        });
        assertEquals(new Rectangle2D(0, 0, 512, 512), window.inputs.portrait.crop(), "resize takes the whole picture");
        fx(() -> {
            window.options.size.setValue(256);
            window.options.preprocess.setValue(Preprocess.CROP);
            return null;
        });
        assertEquals(crop, window.inputs.portrait.crop());

        // The output's framing differs: crop leaves the picture outside the square out of the video (dimmed
        // on screen), full keeps the whole picture (same light as the picture, a solid frame) and animates
        // the dashed square inside it.
        double outsideCrop = lumaAt(crop.getMinX() / 2, 256),
                insideCrop = lumaAt(crop.getMinX() + 20, crop.getMinY() + 20);
        assertFalse(window.inputs.portrait.wholePicture());
        fx(() -> {
            window.options.preprocess.setValue(Preprocess.FULL);
            return null;
        });
        assertTrue(window.inputs.portrait.wholePicture());
        assertTrue(robot.lookup("#face-status").queryLabeled().getText().contains("whole picture"));
        double outsideFull = lumaAt(crop.getMinX() / 2, 256),
                insideFull = lumaAt(crop.getMinX() + 20, crop.getMinY() + 20);
        assertTrue(
                outsideCrop < 0.6 * outsideFull,
                "outside the crop: dimmed in crop mode " + outsideCrop + " vs full " + outsideFull);
        assertEquals(insideFull, insideCrop, 8, "inside the crop: the same in both modes");
        screenshot(stage.getScene(), "crop-overlay-full");
        fx(() -> {
            window.options.preprocess.setValue(Preprocess.CROP);
            return null;
        });
        assertTrue(robot.lookup("#face-status").queryLabeled().getText().contains("bright square"));
    }

    /** The mean luminance the portrait view shows around picture pixel (x, y), over a 5×5 block. */
    private double lumaAt(double x, double y) {
        PortraitView view = window.inputs.portrait;
        WritableImage shot = fx(() -> view.snapshot(null, null));
        double s = Math.min(view.getWidth() / 512, view.getHeight() / 512);
        double ox = (view.getWidth() - 512 * s) / 2, oy = (view.getHeight() - 512 * s) / 2;
        int cx = (int) Math.round(ox + x * s), cy = (int) Math.round(oy + y * s);
        var px = shot.getPixelReader();
        double sum = 0;
        for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++) {
                int argb = px.getArgb(cx + dx, cy + dy);
                sum += 0.299 * (argb >> 16 & 255) + 0.587 * (argb >> 8 & 255) + 0.114 * (argb & 255);
            }
        return sum / 25;
    }

    /** The bounds, in picture pixels, of the outline colour the portrait view shows now. */
    private Rectangle2D outlineShown() {
        PortraitView view = window.inputs.portrait;
        WritableImage shot = fx(() -> view.snapshot(null, null));
        double s = Math.min(view.getWidth() / 512, view.getHeight() / 512);
        double ox = (view.getWidth() - 512 * s) / 2, oy = (view.getHeight() - 512 * s) / 2;
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1;
        var px = shot.getPixelReader();
        for (int y = 0; y < (int) shot.getHeight(); y++) {
            for (int x = 0; x < (int) shot.getWidth(); x++) {
                int argb = px.getArgb(x, y), r = argb >> 16 & 255, g = argb >> 8 & 255, b = argb & 255;
                if (r > 230 && g > 180 && g < 225 && b < 60) { // #ffcc00
                    minX = Math.min(minX, x);
                    minY = Math.min(minY, y);
                    maxX = Math.max(maxX, x);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        assertTrue(maxX >= 0, "an outline is drawn over the portrait");
        // back to picture pixels, rounded to the picture's grid (the 2 px stroke straddles the edge)
        double x0 = Math.round((minX + 1 - ox) / s), y0 = Math.round((minY + 1 - oy) / s);
        double x1 = Math.round((maxX - ox) / s), y1 = Math.round((maxY - oy) / s);
        Rectangle2D expected = view.crop();
        double tol = 2 / s + 1;
        if (Math.abs(x0 - expected.getMinX()) <= tol
                && Math.abs(y0 - expected.getMinY()) <= tol
                && Math.abs(x1 - expected.getMaxX()) <= tol
                && Math.abs(y1 - expected.getMaxY()) <= tol) return expected;
        return new Rectangle2D(x0, y0, x1 - x0, y1 - y0);
    }
}
