package studio.app;

import java.io.File;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;

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
}
