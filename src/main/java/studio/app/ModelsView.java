package studio.app;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import studio.job.StudioException;
import studio.weights.ModelCatalog;
import studio.weights.ModelDownloader;

/**
 * The Models tab: every checkpoint of the app's own catalog ({@code checkpoints/catalog.json} in
 * the install folder; never one lying in the chosen checkpoint folder, which would choose what is
 * fetched and where it is written), whether it is present and valid, what it enables, what the app
 * does without it, where it goes, and a Download button (progress; resumes a partial file). After
 * them, the bundled face-api models and the optional Stable Diffusion checkpoint (never downloaded:
 * chosen in the Generate window).
 */
final class ModelsView extends VBox {
    enum State {
        CHECKING,
        VALID,
        MISSING,
        INVALID,
        DOWNLOADING
    }

    /** One catalog entry's row; its state is set on the FX thread. */
    final class Row extends VBox {
        final ModelCatalog.Entry entry;
        final Label status = new Label();
        final Button download = new Button();
        final ProgressBar progress = new ProgressBar(0);
        final Label progressText = new Label();
        State state = State.CHECKING;
        String problem;

        Row(ModelCatalog.Entry entry) {
            this.entry = entry;
            getStyleClass().add("model-row");
            setId("model-" + entry.file());
            Label name = new Label(entry.file());
            name.setStyle("-fx-font-weight: bold");
            name.setMinWidth(Region.USE_PREF_SIZE);
            Label kind = new Label(Messages.t(entry.required() ? "models.required" : "models.optional"));
            kind.getStyleClass().add("hint");
            kind.setMinWidth(Region.USE_PREF_SIZE);
            status.setId("status-" + entry.file());
            status.setWrapText(true);
            HBox.setHgrow(status, Priority.ALWAYS);
            status.setMaxWidth(Double.MAX_VALUE);
            HBox head = new HBox(10, name, kind, status);
            head.setAlignment(Pos.BASELINE_LEFT);
            Label enables = new Label(Messages.f("models.enables", localized("models.enables.", entry.enables())));
            enables.setWrapText(true);
            Label without = new Label(Messages.f(
                    "models.without",
                    localized(
                            "models.without.",
                            Messages.t(entry.required() ? "models.without.required" : "models.without.optional"))));
            without.setWrapText(true);
            without.getStyleClass().add("hint");
            download.setId("download-" + entry.file());
            download.setMnemonicParsing(false);
            download.setMinWidth(Region.USE_PREF_SIZE);
            download.setOnAction(e -> download(this));
            progress.setPrefWidth(160);
            progress.setVisible(false);
            progressText.setMinWidth(Region.USE_PREF_SIZE);
            Label where = new Label(Messages.f(
                    "models.where",
                    dir.resolve(entry.file()).toAbsolutePath(),
                    entry.approxSize() == null ? "?" : entry.approxSize().replaceFirst("^about ", "")));
            where.setWrapText(true);
            where.getStyleClass().add("hint");
            HBox.setHgrow(where, Priority.ALWAYS);
            where.setMaxWidth(Double.MAX_VALUE);
            HBox foot = new HBox(8, where, progress, progressText, download);
            foot.setAlignment(Pos.CENTER_LEFT);
            getChildren().addAll(head, enables, without, foot);
            setSpacing(2);
            setPadding(new Insets(6, 4, 8, 4));
            show();
        }

        private String localized(String prefix, String fallback) {
            // keyed by the catalog role, so the file names stay in the catalog alone
            String key = prefix + entry.role();
            return entry.role() != null && Messages.has(key) ? Messages.t(key) : fallback;
        }

        void show() {
            status.getStyleClass().removeAll("model-status-ok", "model-status-bad", "model-status-missing");
            switch (state) {
                case CHECKING -> status.setText(Messages.t("models.checking"));
                case VALID -> {
                    status.setText(Messages.t("models.valid"));
                    status.getStyleClass().add("model-status-ok");
                }
                case MISSING -> {
                    status.setText(Messages.t("models.missing"));
                    status.getStyleClass().add("model-status-missing");
                }
                case INVALID -> {
                    status.setText(Messages.f("models.invalid", problem));
                    status.getStyleClass().add("model-status-bad");
                }
                case DOWNLOADING -> status.setText(Messages.t("models.downloading"));
            }
            boolean partial = Files.exists(ModelDownloader.partFile(dir.resolve(entry.file())));
            download.setText(Messages.t(
                    partial ? "models.resume" : state == State.INVALID ? "models.redownload" : "models.download"));
            download.setVisible(state == State.MISSING || state == State.INVALID);
            download.setManaged(download.isVisible() || state == State.DOWNLOADING);
            progress.setVisible(state == State.DOWNLOADING);
            progressText.setVisible(state == State.DOWNLOADING);
        }
    }

    private final StudioWindow w;
    private final Path dir;
    private final TextField dirField = new TextField();
    private final VBox list = new VBox(2);
    final List<Row> rows = new ArrayList<>();
    private final Label summary = new Label();
    final Label sdStatus = new Label();
    private ModelCatalog catalog;

    ModelsView(StudioWindow w) {
        this.w = w;
        this.dir = w.model.checkpointDir.get();
        Label title = Controls.areaTitle(this, "models.title");
        setSpacing(8);
        setPadding(new Insets(10));
        Label about = new Label(Messages.t("models.about"));
        about.setWrapText(true);
        about.setMinHeight(Region.USE_PREF_SIZE);
        Label dirLabel = new Label(Messages.t("models.folder"));
        dirLabel.setMnemonicParsing(true);
        dirLabel.setLabelFor(dirField);
        dirLabel.setMinWidth(Region.USE_PREF_SIZE);
        dirField.setText(dir.toAbsolutePath().toString());
        dirField.setId("checkpoint-dir");
        dirField.setOnAction(e -> {
            try {
                Path typed = Controls.typedPath(dirField.getText());
                if (typed != null) useDir(typed);
            } catch (StudioException ex) {
                Dialogs.error(getScene().getWindow(), Messages.t("models.folder.choose"), ex.getMessage());
            }
        });
        Button browse = Controls.browseButton(() -> {
            File d = Controls.chooseFolder(getScene().getWindow(), "models.folder.choose", dir.toFile());
            if (d != null) useDir(d.toPath());
        });
        Button recheck = new Button(Messages.t("models.recheck"));
        recheck.setId("models-recheck");
        recheck.setMinWidth(Region.USE_PREF_SIZE);
        recheck.setOnAction(e -> checkAll());
        HBox.setHgrow(dirField, Priority.ALWAYS);
        Button downloadRequired = new Button(Messages.t("models.downloadRequired"));
        downloadRequired.setId("download-required");
        downloadRequired.setMinWidth(Region.USE_PREF_SIZE);
        downloadRequired.setOnAction(e -> downloadRequired());
        HBox dirRow = new HBox(6, dirLabel, dirField, browse, recheck, downloadRequired);
        dirRow.setAlignment(Pos.CENTER_LEFT);
        summary.setId("models-summary");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);
        ScrollPane scroll = new ScrollPane(list);
        scroll.setFitToWidth(true);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        getChildren().addAll(title, about, dirRow, summary, scroll);
        try {
            catalog = ModelCatalog.trusted(null);
            for (ModelCatalog.Entry e : catalog.models()) rows.add(new Row(e));
            list.getChildren().add(bundledFaceModels());
            list.getChildren().addAll(rows);
            list.getChildren().add(stableDiffusion());
            checkAll();
        } catch (StudioException e) {
            summary.setText(Messages.f("models.noCatalog", e.getMessage()));
        }
    }

    /** The face-api models: bundled with the app, always found (the chosen folder's own copy, if any, comes first). */
    private VBox bundledFaceModels() {
        Label status = new Label(Messages.t("models.bundled.status"));
        status.getStyleClass().add("model-status-ok");
        Label where = new Label(Messages.f(
                "models.bundled.where",
                ModelCatalog.faceModels(dir)
                        .resolve("face-api")
                        .toAbsolutePath()
                        .normalize()));
        return fixedRow("face-api", "models.faceApi", "models.bundled", status, "models.faceApi.enables", where);
    }

    /**
     * Stable Diffusion: optional, never downloaded (several GB, licensed by its authors); any SD 1.x
     * checkpoint chosen in the Generate window. Found when the one it last loaded is still there.
     */
    private VBox stableDiffusion() {
        sdStatus.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(sdStatus, Priority.ALWAYS);
        showSdStatus();
        Label where = new Label(Messages.t("models.sd.where"));
        HBox.setHgrow(where, Priority.ALWAYS);
        where.setMaxWidth(Double.MAX_VALUE);
        Button open = new Button(Messages.t("models.sd.open"));
        open.setId("models-sd-open");
        open.setMnemonicParsing(false);
        open.setMinWidth(Region.USE_PREF_SIZE);
        open.setOnAction(e -> w.generatePortrait());
        return fixedRow("sd", "models.sd", "models.optional", sdStatus, "models.sd.enables", where, open);
    }

    /** "found: FILE" for the checkpoint the Generate window last loaded, if it is still there. */
    private void showSdStatus() {
        Path f = w.settings.sdCheckpoint();
        boolean found = f != null && Files.exists(f);
        sdStatus.setText(
                found ? Messages.f("models.sd.found", f.toAbsolutePath().normalize()) : Messages.t("models.sd.none"));
        sdStatus.getStyleClass().removeAll("model-status-ok", "model-status-missing");
        sdStatus.getStyleClass().add(found ? "model-status-ok" : "model-status-missing");
    }

    /**
     * A row for a model outside the catalog (nothing to download): name, kind, status, what it enables,
     * and {@code where} (with any {@code extra} controls beside it).
     */
    private VBox fixedRow(
            String id, String nameKey, String kindKey, Label status, String enablesKey, Label where, Node... extra) {
        Label name = new Label(Messages.t(nameKey));
        name.setStyle("-fx-font-weight: bold");
        name.setMinWidth(Region.USE_PREF_SIZE);
        Label kind = new Label(Messages.t(kindKey));
        kind.getStyleClass().add("hint");
        kind.setMinWidth(Region.USE_PREF_SIZE);
        status.setId("status-" + id);
        status.setWrapText(true);
        HBox head = new HBox(10, name, kind, status);
        head.setAlignment(Pos.BASELINE_LEFT);
        Label enables = new Label(Messages.t(enablesKey));
        enables.setWrapText(true);
        where.setId("where-" + id);
        where.setWrapText(true);
        where.getStyleClass().add("hint");
        Node foot = where;
        if (extra.length > 0) {
            HBox box = new HBox(8, where);
            box.getChildren().addAll(extra);
            box.setAlignment(Pos.CENTER_LEFT);
            foot = box;
        }
        VBox row = new VBox(2, head, enables, foot);
        row.getStyleClass().add("model-row");
        row.setId("model-" + id);
        row.setPadding(new Insets(6, 4, 8, 4));
        return row;
    }

    private void useDir(Path d) {
        w.model.checkpointDir.set(d);
        w.rebuildModels();
    }

    /** Checks every file off the FX thread (opening a checkpoint reads its header). */
    void checkAll() {
        showSdStatus();
        for (Row r : rows) {
            if (r.state == State.DOWNLOADING) continue;
            r.state = State.CHECKING;
            r.show();
        }
        updateSummary();
        List<Row> todo = List.copyOf(rows);
        w.background(() -> {
            for (Row r : todo) {
                if (r.state == State.DOWNLOADING) continue;
                Path f = dir.resolve(r.entry.file());
                String problem = Files.exists(f) ? ModelCatalog.check(r.entry, f) : "missing";
                Platform.runLater(() -> {
                    if (r.state == State.DOWNLOADING) return;
                    r.state = problem == null ? State.VALID : "missing".equals(problem) ? State.MISSING : State.INVALID;
                    r.problem = problem;
                    r.show();
                    updateSummary();
                });
            }
        });
    }

    private void updateSummary() {
        long valid = rows.stream().filter(r -> r.state == State.VALID).count();
        long missingRequired = rows.stream()
                .filter(r -> r.entry.required() && r.state != State.VALID)
                .count();
        summary.setText(Messages.f("models.summary", valid, rows.size(), dir.toAbsolutePath()) + " "
                + Messages.t(missingRequired > 0 ? "models.summary.builtin" : "models.summary.neural"));
    }

    private void download(Row r) {
        download(List.of(r));
    }

    /** Every required checkpoint not present and valid, one after another. */
    void downloadRequired() {
        List<Row> todo = rows.stream()
                .filter(r -> r.entry.required() && r.state != State.VALID && r.state != State.DOWNLOADING)
                .toList();
        if (todo.isEmpty()) summary.setText(Messages.t("models.downloadRequired.none"));
        else download(todo);
    }

    /** Downloads these rows one after another off the FX thread; the first failure stops the rest. */
    private void download(List<Row> todo) {
        for (Row r : todo) {
            r.state = State.DOWNLOADING;
            r.progress.setProgress(-1);
            r.progressText.setText("");
            r.show();
        }
        ModelDownloader downloader = new ModelDownloader();
        w.background(() -> {
            ModelDownloader.removeStaleParts(
                    dir,
                    catalog.models().stream().map(ModelCatalog.Entry::file).toList(),
                    todo.stream().map(r -> r.entry.file()).toList());
            for (int i = 0; i < todo.size(); i++) {
                Row r = todo.get(i);
                try {
                    downloader.download(
                            r.entry,
                            dir,
                            (done, total) -> Platform.runLater(() -> {
                                r.progress.setProgress(total > 0 ? (double) done / total : -1);
                                r.progressText.setText(
                                        total > 0
                                                ? Messages.f("models.progress", mb(done), mb(total))
                                                : Messages.f("models.progressUnknown", mb(done)));
                            }));
                    AppLog.info("downloaded " + r.entry.file() + " to " + dir);
                    Platform.runLater(() -> {
                        r.state = State.VALID;
                        r.problem = null;
                        r.show();
                        updateSummary();
                        w.model.checkpointsChanged.set(w.model.checkpointsChanged.get() + 1);
                    });
                } catch (StudioException e) {
                    AppLog.warn("download failed: " + e.getMessage());
                    List<Row> stopped = todo.subList(i, todo.size());
                    Platform.runLater(() -> {
                        for (Row s : stopped) {
                            boolean present = Files.exists(dir.resolve(s.entry.file()));
                            s.state = present ? State.INVALID : State.MISSING;
                            s.show();
                        }
                        updateSummary();
                        Dialogs.error(w.stage, Messages.f("error.download", r.entry.file()), UiText.of(e.getMessage()));
                    });
                    return;
                }
            }
        });
    }

    private static String mb(long bytes) {
        return String.format("%.1f", bytes / 1e6);
    }

    /** For tests: the row of one catalog file. */
    Row row(String file) {
        return rows.stream()
                .filter(r -> r.entry.file().equals(file))
                .findFirst()
                .orElseThrow();
    }
}
