package studio.app;

import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** The Models tab: every catalogued checkpoint, whether it is present and valid, and what it enables. */
final class ModelsView extends VBox {
    ModelsView(StudioWindow w) {
        getStyleClass().add("area");
        Label title = new Label(Messages.t("models.title"));
        title.getStyleClass().add("area-title");
        Label none = new Label(Messages.t("models.noCatalog"));
        none.setWrapText(true);
        getChildren().addAll(title, none);
    }
}
