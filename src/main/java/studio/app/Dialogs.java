package studio.app;

import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;

/**
 * Error dialogs in plain words; the log (with any technical detail) is one click away. Every
 * button and link is the app's own, in the UI's language (JavaFX's own dialog texts stay English).
 */
public final class Dialogs {
    /** The width long messages wrap at. */
    static final double MESSAGE_WIDTH = 520;

    private Dialogs() {}

    /** A dialog pane whose "Show details" link speaks the UI's language. */
    static final class Pane extends DialogPane {
        Pane(String... styleClasses) {
            getStyleClass().addAll(styleClasses);
        }

        @Override
        protected Node createDetailsButton() {
            Hyperlink details = new Hyperlink();
            details.getStyleClass().add("details-button");
            details.setId("details-button");
            details.setMnemonicParsing(false);
            Runnable show = () -> {
                details.setText(Messages.t(isExpanded() ? "dialog.hideDetails" : "dialog.showDetails"));
                details.getStyleClass().removeAll("more", "less");
                details.getStyleClass().add(isExpanded() ? "less" : "more");
            };
            show.run();
            expandedProperty().addListener(o -> show.run());
            details.setOnAction(e -> setExpanded(!isExpanded()));
            return details;
        }
    }

    /** A button of the app's own, in the UI's language. */
    static ButtonType button(String key, ButtonBar.ButtonData data) {
        return new ButtonType(Messages.t(key), data);
    }

    /** A window-modal dialog with the app's pane ({@code kind}: "error", "information", "confirmation"). */
    static Dialog<ButtonType> dialog(Window owner, String kind, ButtonType... buttons) {
        Dialog<ButtonType> d = new Dialog<>();
        d.setDialogPane(new Pane("alert", kind));
        d.getDialogPane().getButtonTypes().addAll(buttons);
        d.initOwner(owner);
        d.setTitle(Messages.t("app.title"));
        return d;
    }

    /** A message label that wraps at {@link #MESSAGE_WIDTH} instead of widening its dialog. */
    static Label message(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        // A wrapped label still asks for its one-line width: give it a width so long texts wrap.
        l.setPrefWidth(MESSAGE_WIDTH);
        l.setMaxWidth(MESSAGE_WIDTH);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    /**
     * Shows (without blocking) an error: a title saying what failed and the problem's plain-words
     * message (a StudioException's message), never a stack trace; "Show details" reveals the log.
     */
    public static Dialog<ButtonType> error(Window owner, String header, String message) {
        Dialog<ButtonType> a = dialog(owner, "error", button("dialog.ok", ButtonBar.ButtonData.OK_DONE));
        a.initModality(Modality.WINDOW_MODAL);
        a.setHeaderText(header);
        Label text = message(message);
        text.setId("error-message");
        a.getDialogPane().setContent(text);
        a.getDialogPane().setExpandableContent(logArea());
        a.getDialogPane().setId("error-dialog");
        a.setResizable(true);
        a.show();
        return a;
    }

    static VBox logArea() {
        TextArea log = new TextArea(AppLog.text());
        log.setEditable(false);
        log.setWrapText(false);
        log.setPrefRowCount(14);
        log.setPrefColumnCount(70);
        log.setId("log-text");
        log.positionCaret(log.getText().lastIndexOf('\n') + 1); // the newest line, from its start
        Label title = new Label(Messages.t("log.title"));
        VBox box = new VBox(6, title, log);
        VBox.setVgrow(log, Priority.ALWAYS);
        return box;
    }

    /** The log in a window of its own (View > Log). */
    public static void showLog(Window owner) {
        Dialog<ButtonType> a = dialog(owner, "information", button("dialog.close", ButtonBar.ButtonData.CANCEL_CLOSE));
        a.setTitle(Messages.t("log.title"));
        a.setHeaderText(null);
        a.setGraphic(null);
        DialogPane p = a.getDialogPane();
        p.setId("log-dialog");
        p.setContent(logArea());
        a.setResizable(true);
        a.show();
    }
}
