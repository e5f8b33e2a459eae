package studio.app;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import studio.job.InputException;

/** Small control builders the studio's panes share, so the same control looks and acts the same everywhere. */
final class Controls {
    private Controls() {}

    /** Styles {@code pane} as one of the window's titled areas and returns its title label (not yet added). */
    static Label areaTitle(VBox pane, String titleKey) {
        pane.getStyleClass().add("area");
        Label title = new Label(Messages.t(titleKey));
        title.getStyleClass().add("area-title");
        return title;
    }

    /** The "Browse…" button beside a path field; it keeps its full text when the row is narrow. */
    static Button browseButton(Runnable action) {
        Button browse = new Button(Messages.t("inputs.browse"));
        browse.setMnemonicParsing(false);
        browse.setMinWidth(Region.USE_PREF_SIZE);
        browse.setOnAction(e -> action.run());
        return browse;
    }

    /** Asks for a folder, starting in {@code current} when it is one; null when cancelled. */
    static File chooseFolder(Window owner, String titleKey, File current) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle(Messages.t(titleKey));
        if (current.isDirectory()) dc.setInitialDirectory(current);
        return dc.showDialog(owner);
    }

    /**
     * Asks for one file: {@code filterName} for {@code extensions} (e.g. "*.png"), plus "All files";
     * starts in the folder of {@code near} when there is one. Null when cancelled.
     */
    static File chooseFile(Window owner, String title, String filterName, List<String> extensions, Path near) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters()
                .addAll(
                        new FileChooser.ExtensionFilter(filterName, extensions),
                        new FileChooser.ExtensionFilter(Messages.t("inputs.filter.all"), "*"));
        if (near != null && near.getParent() != null && Files.isDirectory(near.getParent()))
            fc.setInitialDirectory(near.getParent().toFile());
        return fc.showOpenDialog(owner);
    }

    /** The field's path as {@link #typedPath} reads it; null when empty or not a path (nothing to start from). */
    static Path typedPathOrNull(TextField field) {
        try {
            return typedPath(field.getText());
        } catch (InputException e) {
            return null;
        }
    }

    /**
     * A path as the user typed it: trimmed, a leading {@code ~} is their home folder as in a shell
     * (the file choosers never need this, typed and pasted paths do); null when the field is empty.
     */
    static Path typedPath(String text) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) return null;
        if (s.equals("~") || s.startsWith("~/") || s.startsWith("~" + File.separator))
            s = System.getProperty("user.home") + s.substring(1);
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new InputException(Messages.f("error.badPath", s));
        }
    }
}
