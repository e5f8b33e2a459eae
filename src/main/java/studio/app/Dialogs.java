package studio.app;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Window;

/** Error dialogs in plain words; the log (with any technical detail) is one click away. */
public final class Dialogs {
    /** The width long messages wrap at. */
    static final double MESSAGE_WIDTH = 520;

    private Dialogs() {}

    /**
     * Shows (without blocking) an error: a title saying what failed and the problem's plain-words
     * message (a StudioException's message), never a stack trace; "Show details" reveals the log.
     */
    public static Alert error(Window owner, String header, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR, "", ButtonType.OK);
        a.initOwner(owner);
        a.initModality(Modality.WINDOW_MODAL);
        a.setTitle(Messages.t("app.title"));
        a.setHeaderText(header);
        Label text = new Label(message);
        text.setWrapText(true);
        text.setId("error-message");
        // A wrapped label still asks for its one-line width: give it a width so long texts wrap, not widen the dialog.
        text.setPrefWidth(MESSAGE_WIDTH);
        text.setMaxWidth(MESSAGE_WIDTH);
        text.setMinHeight(Region.USE_PREF_SIZE);
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
        Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        a.initOwner(owner);
        a.setTitle(Messages.t("log.title"));
        a.setHeaderText(null);
        a.setGraphic(null);
        DialogPane p = a.getDialogPane();
        p.setContent(logArea());
        a.setResizable(true);
        a.show();
    }
}
