package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ScrollPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The layout adapts from 1024x700 up to 3840x2160 (issue 17, item 5): no text cut, the video grows, in both languages. */
@ExtendWith(ApplicationExtension.class)
class WindowSizesTest extends UiTestSupport {
    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    private void resize(double w, double h) {
        fx(() -> {
            stage.setWidth(w);
            stage.setHeight(h);
            return null;
        });
        waitUntil(
                "the window has its size",
                10,
                () -> fx(() -> Math.abs(stage.getScene().getWidth() - w) < 40));
    }

    @Test
    void smallAndLargeWindowsInBothLanguages(FxRobot robot) throws Exception {
        for (String lang : List.of(Settings.LANG_EN, Settings.LANG_ZH)) {
            if (!lang.equals(Settings.LANG_EN))
                fx(() -> {
                    window.switchLanguage(lang);
                    return null;
                });
            resize(1024, 700);
            List<String> clipped = clippedLabels(stage.getScene().getRoot());
            assertTrue(clipped.isEmpty(), lang + " at 1024x700:\n" + String.join("\n", clipped));
            double outputRight = fx(() ->
                    window.output.localToScene(window.output.getBoundsInLocal()).getMaxX());
            assertTrue(
                    outputRight <= stage.getScene().getWidth() + 0.5, "the Output column is not cut: " + outputRight);
            // The Options column is taller than the window: it scrolls, so its last option is reachable.
            boolean scrolls = fx(() -> {
                Node n = window.options;
                while (n != null && !(n instanceof ScrollPane)) n = n.getParent();
                ScrollPane sp = (ScrollPane) n;
                return sp.lookupAll(".scroll-bar").stream()
                        .anyMatch(b -> b instanceof ScrollBar bar
                                && bar.getOrientation() == Orientation.VERTICAL
                                && bar.isVisible());
            });
            assertTrue(scrolls, "the Options column scrolls at 1024x700");
            screenshot(stage.getScene(), "window-1024x700-" + lang);

            resize(1600, 1000);
            clipped = clippedLabels(stage.getScene().getRoot());
            assertTrue(clipped.isEmpty(), lang + " at 1600x1000:\n" + String.join("\n", clipped));
            double screen = fx(() -> window.output.video.getFitWidth());
            assertTrue(screen > 400, "the video area grows with the window: " + screen);
            screenshot(stage.getScene(), "window-1600x1000-" + lang);

            // 4K: larger than the Xvfb screen, but the stage is still laid out at that size.
            resize(3840, 2160);
            assertEquals(3840, fx(() -> stage.getScene().getWidth()), 40, "laid out 3840 wide");
            assertEquals(2160, fx(() -> stage.getScene().getHeight()), 80, "laid out 2160 high");
            double outputRight4k = fx(() ->
                    window.output.localToScene(window.output.getBoundsInLocal()).getMaxX());
            assertTrue(
                    outputRight4k > 3700 && outputRight4k <= stage.getScene().getWidth() + 0.5,
                    "the Output column reaches the right edge at 4K: " + outputRight4k);
            clipped = clippedLabels(stage.getScene().getRoot());
            assertTrue(clipped.isEmpty(), lang + " at 3840x2160:\n" + String.join("\n", clipped));
            double screen4k = fx(() -> window.output.video.getFitWidth());
            assertTrue(screen4k > screen, "the video is larger at 4K: " + screen4k + " vs " + screen);
            screenshot(stage.getScene(), "window-3840x2160-" + lang);
        }
    }
}
