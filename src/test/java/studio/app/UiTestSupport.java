package studio.app;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.prefs.Preferences;
import javafx.embed.swing.SwingFXUtils;
import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.image.Image;
import javafx.scene.image.WritableImage;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Pair;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.junit.jupiter.api.AfterEach;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** Shared set-up for the UI tests: a throw-away settings node, a real window, helpers to drive it. */
abstract class UiTestSupport {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    Settings settings;
    StudioWindow window;
    Stage stage;

    /**
     * Opens the studio window in {@code language} with fresh settings. Call it from each test class's
     * own {@code @Start} method: TestFX's ApplicationExtension (4.0.18) looks for {@code @Start} only
     * among the test class's declared methods, so it cannot live here.
     */
    void open(Stage stage, String language) {
        this.stage = stage;
        settings = new Settings(Preferences.userRoot().node("studio/test-" + UUID.randomUUID()));
        settings.setLanguage(language);
        Messages.use(settings.locale());
        window = new StudioWindow(stage, settings);
        stage.show();
    }

    @AfterEach
    void closeWindow() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
                    for (Window w : List.copyOf(Window.getWindows())) if (w instanceof Stage s) s.close();
                })
                .get(10, TimeUnit.SECONDS);
        if (settings != null) settings.clear();
    }

    /** Scrolls the column that holds {@code query} so the node is in view (as a user scrolls before clicking). */
    static Node inView(FxRobot robot, String query) {
        Node n = robot.lookup(query).query();
        scrollTo(n);
        return n;
    }

    /**
     * Scrolls the scroll pane around {@code n} so that n is in view; returns what puts the pane back
     * where it was (so later clicks find the widgets where the test expects them).
     */
    static Runnable scrollTo(Node n) {
        Runnable back = fx(() -> {
            for (Parent p = n.getParent(); p != null; p = p.getParent())
                if (p instanceof ScrollPane sp && sp.getContent() != null) {
                    double before = sp.getVvalue();
                    Node content = sp.getContent();
                    Bounds b = content.sceneToLocal(n.localToScene(n.getBoundsInLocal()));
                    double extra = content.getBoundsInLocal().getHeight()
                            - sp.getViewportBounds().getHeight();
                    if (extra > 0) sp.setVvalue(Math.max(0, Math.min(1, (b.getMinY() - 20) / extra)));
                    sp.layout();
                    return () -> fx(() -> {
                        sp.setVvalue(before);
                        sp.layout();
                        return null;
                    });
                }
            return () -> {};
        });
        WaitForAsyncUtils.waitForFxEvents();
        return back;
    }

    /** Scrolls {@code query} into view and clicks it. */
    static void clickInView(FxRobot robot, String query) {
        robot.clickOn(inView(robot, query));
    }

    /** Clicks into a text field, replaces its text by typing, and presses Enter. */
    static void type(FxRobot robot, String query, String text) {
        TextField f = robot.lookup(query).queryAs(TextField.class);
        Runnable back = scrollTo(f);
        robot.clickOn(f);
        robot.press(KeyCode.CONTROL).press(KeyCode.A).release(KeyCode.A).release(KeyCode.CONTROL);
        robot.eraseText(1);
        robot.write(text);
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        back.run();
        WaitForAsyncUtils.waitForFxEvents();
    }

    static void waitUntil(String what, int seconds, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
        }
    }

    static <T> T fx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Saves what {@code scene} shows now as target/screenshots/{name}.png. */
    static Path screenshot(Scene scene, String name) throws IOException {
        WritableImage img = fx(() -> scene.snapshot(null));
        Files.createDirectories(SCREENSHOTS);
        Path out = SCREENSHOTS.resolve(name + ".png");
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile());
        return out;
    }

    /** Opens the Models tab, types {@code dir} as the checkpoint folder and waits until every row is checked. */
    void showModelsOf(FxRobot robot, Path dir) {
        robot.clickOn(fx(() -> window.tabs.lookup("#tab-models .tab-label")));
        type(robot, "#checkpoint-dir", dir.toString());
        waitUntil(
                "every checkpoint is checked",
                30,
                () -> fx(() -> window.models.rows.stream().noneMatch(r -> r.state == ModelsView.State.CHECKING)));
    }

    /** Drops {@code file} on {@code target} as a file manager would (DRAG_OVER, then DRAG_DROPPED). */
    static void dropFile(FxRobot robot, Node target, File file) {
        fx(() -> {
            Dragboard db = DragboardHelper.createDragboard(new FileDrop(file));
            var b = target.localToScreen(target.getBoundsInLocal());
            double x = b.getCenterX(), y = b.getCenterY();
            var local = target.screenToLocal(x, y);
            for (var type : List.of(DragEvent.DRAG_OVER, DragEvent.DRAG_DROPPED)) {
                Event.fireEvent(
                        target,
                        new DragEvent(
                                type, db, local.getX(), local.getY(), x, y, TransferMode.COPY, null, target, null));
            }
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** What a file manager's drag carries: one file, offered for copying. */
    private record FileDrop(File file) implements TKClipboard {
        @Override
        public Set<DataFormat> getContentTypes() {
            return Set.of(DataFormat.FILES);
        }

        @SafeVarargs
        @Override
        public final boolean putContent(Pair<DataFormat, Object>... content) {
            return false;
        }

        @Override
        public Object getContent(DataFormat f) {
            return DataFormat.FILES.equals(f) ? List.of(file) : null;
        }

        @Override
        public boolean hasContent(DataFormat f) {
            return DataFormat.FILES.equals(f);
        }

        @Override
        public Set<TransferMode> getTransferModes() {
            return Set.of(TransferMode.COPY);
        }

        @Override
        public void setDragView(Image image) {}

        @Override
        public void setDragViewOffsetX(double x) {}

        @Override
        public void setDragViewOffsetY(double y) {}

        @Override
        public Image getDragView() {
            return null;
        }

        @Override
        public double getDragViewOffsetX() {
            return 0;
        }

        @Override
        public double getDragViewOffsetY() {
            return 0;
        }
    }

    /**
     * Every visible Labeled under {@code root} whose text does not fit: the text its skin displays
     * differs from its own (JavaFX puts in an ellipsis or cuts it), or it reaches past the window.
     */
    static List<String> clippedLabels(Parent root) {
        return fx(() -> {
            List<String> bad = new ArrayList<>();
            root.applyCss();
            root.layout();
            collectClipped(root, root.getScene().getWidth(), root.getScene().getHeight(), false, bad);
            return bad;
        });
    }

    private static void collectClipped(Node n, double sceneW, double sceneH, boolean scrolls, List<String> bad) {
        if (!n.isVisible()) return;
        if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
            String expected = l.isMnemonicParsing() ? l.getText().replaceFirst("_(?=.)", "") : l.getText();
            Text shown = (Text) l.lookupAll(".text").stream()
                    .filter(t -> t instanceof Text && t.getParent() == l)
                    .findFirst()
                    .orElse(null);
            String where = l.getClass().getSimpleName() + (l.getId() == null ? "" : "#" + l.getId()) + " \""
                    + l.getText() + "\"";
            Bounds b = l.localToScene(l.getLayoutBounds());
            boolean shownByInnerLabel = l.lookupAll(".label").stream()
                    .anyMatch(x -> x != l && x instanceof Labeled); // MenuButton, ComboBox skins
            if (shown == null) {
                if (!shownByInnerLabel) bad.add(where + ": no text shown");
            } else if (!expected.equals(shown.getText())) {
                bad.add(where + ": shows \"" + shown.getText() + "\" in " + Math.round(l.getWidth()) + " px");
            } else if (!scrolls
                    && (b.getMaxX() > sceneW + 0.5 || b.getMaxY() > sceneH + 0.5)) { // scrolled content is reachable
                bad.add(where + ": reaches past the window (" + b + ")");
            } else if (!l.isWrapText() && shown.getLayoutBounds().getWidth() > l.getWidth() + 0.5) {
                bad.add(where + ": text " + Math.round(shown.getLayoutBounds().getWidth()) + " px wider than its "
                        + Math.round(l.getWidth()) + " px");
            }
        }
        boolean inScroll = scrolls || n instanceof javafx.scene.control.ScrollPane;
        if (n instanceof Parent p)
            for (Node c : p.getChildrenUnmodifiable()) collectClipped(c, sceneW, sceneH, inScroll, bad);
    }

    /** The open error dialog's pane, if any. */
    static Optional<DialogPane> errorDialog() {
        return fx(() -> Window.getWindows().stream()
                .filter(Window::isShowing)
                .map(w -> w.getScene().getRoot())
                .filter(r -> r instanceof DialogPane && "error-dialog".equals(r.getId()))
                .map(r -> (DialogPane) r)
                .findFirst());
    }

    static String errorText(DialogPane p) {
        return fx(() -> p.getHeaderText() + "\n" + ((Label) p.lookup("#error-message")).getText());
    }

    /**
     * Asserts the player shows a frame of {@code mp4}: the picture on screen is close to one of the
     * frames decoded independently from the file.
     */
    static void assertShowsFrameOf(Image shown, Path mp4) throws Exception {
        assertNotNull(shown, "the player shows a picture");
        BufferedImage s = SwingFXUtils.fromFXImage(shown, null);
        double best = Double.MAX_VALUE;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile());
                Java2DFrameConverter conv = new Java2DFrameConverter()) {
            g.start();
            Frame f;
            while ((f = g.grabImage()) != null) {
                BufferedImage d = conv.convert(f);
                if (d.getWidth() != s.getWidth() || d.getHeight() != s.getHeight())
                    throw new AssertionError("frame size " + s.getWidth() + "x" + s.getHeight() + " vs file "
                            + d.getWidth() + "x" + d.getHeight());
                best = Math.min(best, meanAbsDiff(s, d));
            }
        }
        assertTrue(best < 3.0, "shown picture matches a video frame (mean abs diff " + best + ")");
    }

    static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                sum += Math.abs((p >> 16 & 255) - (q >> 16 & 255))
                        + Math.abs((p >> 8 & 255) - (q >> 8 & 255))
                        + Math.abs((p & 255) - (q & 255));
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    /** Standard deviation of the picture's grey levels: a blank picture is near 0. */
    static double contrast(Image img) {
        BufferedImage b = SwingFXUtils.fromFXImage(img, null);
        double s = 0, s2 = 0;
        int n = 0;
        for (int y = 0; y < b.getHeight(); y += 2) {
            for (int x = 0; x < b.getWidth(); x += 2) {
                int p = b.getRGB(x, y);
                double g = ((p >> 16 & 255) + (p >> 8 & 255) + (p & 255)) / 3.0;
                s += g;
                s2 += g * g;
                n++;
            }
        }
        return Math.sqrt(Math.max(0, s2 / n - (s / n) * (s / n)));
    }
}
