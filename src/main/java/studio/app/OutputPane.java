package studio.app;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.InvalidationListener;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import studio.job.Progress;
import studio.job.Stage;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderResult;

/** Output area: Render / Cancel, progress per stage, the queue, and the player with Export / Open folder. */
final class OutputPane extends VBox {
    private final StudioWindow w;
    final Button render = new Button();
    final Button cancel = new Button();
    /** Why Render is disabled (no portrait, no face, no voice clip); empty when it is not. */
    final Label renderWhy = new Label();

    final Map<Stage, ProgressBar> bars = new EnumMap<>(Stage.class);
    final Map<Stage, Label> details = new EnumMap<>(Stage.class);
    final Label jobStatus = new Label();
    final ListView<RenderJob> queueList = new ListView<>();
    final Button clearFinished = new Button();
    final ImageView video = new ImageView();
    final Label playerStatus = new Label();
    final Button replay = new Button();
    final Button pause = new Button();
    final Slider seek = new Slider(0, 1, 0);
    final Label time = new Label();
    final CheckBox loop = new CheckBox();
    final Label exportStatus = new Label();
    final Button export = new Button();
    final Button openFolder = new Button();
    private RenderJob shown;
    private final InvalidationListener refresh = o -> update();
    /** Held here so the weak listeners on the model and queue live exactly as long as this pane. */
    private final ChangeListener<RenderJob> followSelection = (o, a, job) -> {
        if (job == null) return;
        if (queueList.getSelectionModel().getSelectedItem() != job)
            queueList.getSelectionModel().select(job);
        queueList.scrollTo(job);
        show(job);
    };
    /** The seek bar follows the player, except while the user holds it. */
    private final ChangeListener<Number> followPosition = (o, a, p) -> {
        if (!seek.isValueChanging() && !seek.isPressed()) seek.setValue(p.doubleValue());
    };

    /** The list follows the running job. */
    private final ChangeListener<RenderJob> followRunning;

    OutputPane(StudioWindow w) {
        this.w = w;
        followRunning = (o, a, job) -> {
            if (job != null) w.model.selectedJob.set(job);
        };
        Label title = Controls.areaTitle(this, "output.title");
        setSpacing(6);

        render.setText(Messages.t("output.render"));
        render.setId("render");
        render.setDefaultButton(true);
        render.setOnAction(e -> w.render());
        cancel.setText(Messages.t("output.cancel"));
        cancel.setId("cancel");
        cancel.setOnAction(e -> {
            RenderJob j = queueList.getSelectionModel().getSelectedItem();
            if (j == null || j.status().finished())
                j = w.queue.runningProperty().get();
            if (j != null) w.queue.cancel(j);
        });
        renderWhy.setId("render-why");
        renderWhy.getStyleClass().add("hint");
        renderWhy.setWrapText(true);
        renderWhy.setMinHeight(Region.USE_PREF_SIZE);
        renderWhy
                .textProperty()
                .bind(Bindings.createStringBinding(
                        () -> {
                            String why = w.renderBlocker();
                            return why == null ? "" : why;
                        },
                        w.renderBlockerInputs()));
        render.disableProperty().bind(renderWhy.textProperty().isNotEmpty());
        HBox.setHgrow(renderWhy, Priority.ALWAYS);
        renderWhy.setMaxWidth(Double.MAX_VALUE);
        render.setMinWidth(Region.USE_PREF_SIZE);
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        HBox buttons = new HBox(8, render, cancel, renderWhy);
        buttons.setAlignment(Pos.CENTER_LEFT);

        GridPane stages = new GridPane();
        stages.setHgap(8);
        stages.setVgap(3);
        ColumnConstraints c0 = new ColumnConstraints();
        c0.setMinWidth(Label.USE_PREF_SIZE);
        ColumnConstraints c1 = new ColumnConstraints(80, 160, 220);
        ColumnConstraints c2 = new ColumnConstraints();
        c2.setHgrow(Priority.ALWAYS);
        c2.setMinWidth(Label.USE_PREF_SIZE);
        stages.getColumnConstraints().addAll(c0, c1, c2);
        int r = 0;
        for (Stage s : Stage.RENDER_STAGES) {
            Label name = new Label(Messages.t("stage." + s.label));
            ProgressBar bar = new ProgressBar(0);
            bar.setMaxWidth(Double.MAX_VALUE);
            bar.setId("progress-" + s.label);
            Label detail = new Label();
            detail.setId("detail-" + s.label);
            detail.setMinWidth(Label.USE_PREF_SIZE);
            bars.put(s, bar);
            details.put(s, detail);
            stages.addRow(r++, name, bar, detail);
        }
        jobStatus.setId("job-status");
        jobStatus.setWrapText(true);
        // Three lines, whatever the text: the queue below never moves under the mouse.
        jobStatus.setAlignment(Pos.TOP_LEFT);
        double statusHeight = Math.ceil(jobStatus.getFont().getSize() * 1.4 * 3);
        jobStatus.setMinHeight(statusHeight);
        jobStatus.setPrefHeight(statusHeight);
        jobStatus.setMaxHeight(statusHeight);
        Tooltip statusTip = new Tooltip();
        statusTip.textProperty().bind(jobStatus.textProperty());
        statusTip.setWrapText(true);
        statusTip.setMaxWidth(Dialogs.MESSAGE_WIDTH);
        jobStatus.setTooltip(statusTip);

        queueList.setId("queue");
        queueList.setPrefHeight(110);
        queueList.setMinHeight(60);
        queueList.setItems(w.queue.jobs());
        queueList.setCellFactory(v -> new ListCell<>() {
            private RenderJob bound;
            private final InvalidationListener l = o -> setText(bound == null ? null : describe(bound));
            private final MenuItem remove = new MenuItem(Messages.t("output.queue.remove"));
            private final ContextMenu menu = new ContextMenu(remove);

            {
                // Long rows wrap inside the list instead of running past its edge.
                setWrapText(true);
                setPrefWidth(0);
                remove.setId("queue-remove");
                remove.setOnAction(e -> {
                    if (bound != null) w.removeJob(bound);
                });
                menu.setOnShowing(e -> remove.setDisable(bound == null || bound.status() == RenderJob.Status.RUNNING));
                setOnMouseClicked(e -> {
                    if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && bound != null)
                        w.playJob(bound);
                });
            }

            @Override
            protected void updateItem(RenderJob job, boolean empty) {
                super.updateItem(job, empty);
                if (bound != null) {
                    bound.statusProperty().removeListener(l);
                    bound.progress().removeListener(l);
                }
                bound = empty ? null : job;
                if (bound != null) {
                    bound.statusProperty().addListener(l);
                    bound.progress().addListener(l);
                }
                setText(bound == null ? null : describe(bound));
                setContextMenu(bound == null ? null : menu);
                setTooltip(bound == null ? null : new Tooltip(optionsInFull(bound)));
            }
        });
        queueList.setOnKeyPressed(e -> {
            RenderJob j = queueList.getSelectionModel().getSelectedItem();
            if (j != null && (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE)) {
                w.removeJob(j);
                e.consume();
            }
        });
        // The list's selection and the model's selected job are one fact, kept in step both ways.
        queueList.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) w.model.selectedJob.set(b);
        });
        w.model.selectedJob.addListener(new WeakChangeListener<>(followSelection));
        Label queueTitle = new Label(Messages.t("output.queue"));
        queueTitle.setMnemonicParsing(true);
        queueTitle.setLabelFor(queueList);
        clearFinished.setText(Messages.t("output.queue.clearFinished"));
        clearFinished.setId("clear-finished");
        clearFinished.setMnemonicParsing(false);
        clearFinished.setMinWidth(Button.USE_PREF_SIZE);
        clearFinished.setOnAction(e -> w.queue.clearFinished());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox queueBar = new HBox(8, queueTitle, gap, clearFinished);
        queueBar.setAlignment(Pos.CENTER_LEFT);

        video.setPreserveRatio(true);
        video.setId("video");
        StackPane screen = new StackPane(video, playerStatus);
        screen.getStyleClass().add("screen");
        screen.setMinSize(200, 200);
        screen.setPrefSize(320, 300);
        // The picture fills the screen area (never spills over the queue) and grows with the window.
        video.fitWidthProperty().bind(screen.widthProperty());
        video.fitHeightProperty().bind(screen.heightProperty());
        VBox.setVgrow(screen, Priority.ALWAYS);
        playerStatus.setId("player-status");
        playerStatus.getStyleClass().add("hint");
        playerStatus.setText(Messages.t("output.nothing"));
        playerStatus.visibleProperty().bind(video.imageProperty().isNull());

        replay.setText(Messages.t("output.replay"));
        replay.setId("replay");
        replay.setOnAction(e -> w.replay());
        export.setText(Messages.t("output.export"));
        export.setId("export");
        export.setOnAction(e -> w.exportVideo());
        openFolder.setText(Messages.t("output.openFolder"));
        openFolder.setId("open-folder");
        openFolder.setOnAction(e -> w.openFolder());
        pause.setId("pause");
        pause.setMinWidth(Button.USE_PREF_SIZE);
        pause.textProperty()
                .bind(Bindings.when(w.player
                                .playingProperty()
                                .and(w.player.pausedProperty().not()))
                        .then(Messages.t("output.pause"))
                        .otherwise(Messages.t("output.play")));
        pause.setOnAction(e -> w.player.togglePause());
        pause.disableProperty().bind(w.player.fileProperty().isNull());
        seek.setId("seek");
        seek.maxProperty().bind(w.player.durationProperty());
        seek.disableProperty().bind(w.player.fileProperty().isNull());
        HBox.setHgrow(seek, Priority.ALWAYS);
        seek.setMaxWidth(Double.MAX_VALUE);
        // The bar follows the picture shown, except while the user holds it; letting go jumps there.
        w.player.positionProperty().addListener(new WeakChangeListener<>(followPosition));
        seek.setOnMouseReleased(e -> w.player.seek(seek.getValue()));
        seek.setOnKeyReleased(e -> w.player.seek(seek.getValue()));
        time.setId("player-time");
        time.setMinWidth(Label.USE_PREF_SIZE);
        time.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> Messages.f(
                                "output.time",
                                clock(w.player.positionProperty().get()),
                                clock(w.player.durationProperty().get())),
                        w.player.positionProperty(),
                        w.player.durationProperty()));
        loop.setText(Messages.t("output.loop"));
        loop.setId("loop");
        loop.setMinWidth(CheckBox.USE_PREF_SIZE);
        loop.selectedProperty().bindBidirectional(w.player.loop);
        HBox transport = new HBox(8, pause, seek, time, loop);
        transport.setAlignment(Pos.CENTER_LEFT);
        exportStatus.setId("export-status");
        exportStatus.getStyleClass().add("hint");
        exportStatus.setWrapText(true);
        exportStatus
                .textProperty()
                .bind(w.lastExport.map(p -> Messages.f("output.exported", p)).orElse(""));
        exportStatus.managedProperty().bind(exportStatus.textProperty().isNotEmpty());
        exportStatus.visibleProperty().bind(exportStatus.managedProperty());
        HBox playerButtons = new HBox(8, replay, export, openFolder);
        playerButtons.setAlignment(Pos.CENTER_LEFT);
        for (Button b : new Button[] {replay, export, openFolder}) {
            b.setMinWidth(Button.USE_PREF_SIZE);
            b.disableProperty().bind(w.player.fileProperty().isNull());
        }

        w.queue.runningProperty().addListener(new WeakChangeListener<>(followRunning));
        cancel.disableProperty().bind(w.queue.runningProperty().isNull());
        getChildren()
                .addAll(
                        title,
                        buttons,
                        stages,
                        jobStatus,
                        queueBar,
                        queueList,
                        screen,
                        transport,
                        playerButtons,
                        exportStatus);
        RenderJob selected = w.model.selectedJob.get(),
                running = w.queue.runningProperty().get();
        if (selected != null) followSelection.changed(null, null, selected);
        else if (running != null) show(running);
        else if (!w.queue.jobs().isEmpty()) show(w.queue.jobs().getLast());
        update();
    }

    /** m:ss */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(Math.floor(seconds)));
        return s / 60 + ":" + String.format("%02d", s % 60);
    }

    static String describe(RenderJob j) {
        String state = switch (j.status()) {
            case QUEUED -> Messages.t("job.queued");
            case RUNNING -> {
                Progress p = latest(j);
                yield p == null
                        ? Messages.t("job.running")
                        : Messages.f("job.runningStage", Messages.t("stage." + p.stage().label), (int)
                                Math.round(p.fraction() * 100));
            }
            case DONE -> Messages.t("job.done");
            case FAILED -> Messages.t("job.failed");
            case CANCELLED -> Messages.t("job.cancelled");
        };
        return Messages.f("job.line", j.number(), j.title(), state, options(j));
    }

    /** The options a job renders with, in short: mode, size, style, engine (and the enhancer when on). */
    static String options(RenderJob j) {
        RenderOptions o = j.options();
        String s = Messages.f(
                "job.options",
                Messages.t("options.preprocess." + o.preprocess().id()),
                o.size(),
                o.poseStyle(),
                engineName(j));
        return o.enhancer() == RenderOptions.Enhancer.NONE
                ? s
                : s + ", "
                        + Messages.t("options.enhancer." + o.enhancer().name().toLowerCase(Locale.ROOT));
    }

    /** The engine the job used once done (Automatic resolved), else the one chosen. */
    private static String engineName(RenderJob j) {
        RenderResult r = j.resultProperty().get();
        String key = r != null
                ? "options.engine." + r.engine()
                : "options.engine." + j.options().engine().name().toLowerCase(Locale.ROOT);
        return Messages.has(key) ? Messages.t(key) : r != null ? r.engine() : key;
    }

    /** Every option of a job, for its row's tooltip. */
    static String optionsInFull(RenderJob j) {
        RenderOptions o = j.options();
        return Messages.f(
                "job.tooltip",
                j.title(),
                Messages.t("options.preprocess." + o.preprocess().id()),
                o.size(),
                o.poseStyle(),
                engineName(j),
                Messages.t("options.enhancer." + o.enhancer().name().toLowerCase(Locale.ROOT)),
                o.still() ? Messages.t("job.yes") : Messages.t("job.no"),
                String.format(Locale.ROOT, "%.1f", o.expressionScale()),
                o.output());
    }

    private static Progress latest(RenderJob j) {
        Progress last = null;
        for (Stage s : Stage.RENDER_STAGES) {
            Progress p = j.progress().get(s);
            if (p != null) last = p;
        }
        return last;
    }

    /** Shows this job's progress in the stage rows. */
    void show(RenderJob job) {
        if (shown != null) {
            shown.progress().removeListener(refresh);
            shown.statusProperty().removeListener(refresh);
        }
        shown = job;
        job.progress().addListener(refresh);
        job.statusProperty().addListener(refresh);
        update();
    }

    private void update() {
        for (Stage s : Stage.RENDER_STAGES) {
            Progress p = shown == null ? null : shown.progress().get(s);
            ProgressBar bar = bars.get(s);
            Label d = details.get(s);
            if (p == null) {
                bar.setProgress(0);
                d.setText("");
                continue;
            }
            bar.setProgress(p.total() > 0 ? p.fraction() : -1);
            String count = p.total() > 1 ? Messages.f("progress.frames", p.done(), p.total()) : "";
            String time = p.remaining() != null && p.done() < p.total()
                    ? Messages.f("progress.left", Progress.clock(p.remaining()))
                    : p.done() >= p.total() ? Messages.f("progress.took", Progress.clock(p.elapsed())) : "";
            d.setText(count.isEmpty() ? time : time.isEmpty() ? count : count + " · " + time);
        }
        if (shown == null) {
            jobStatus.setText(Messages.t("output.idle"));
            return;
        }
        RenderResult r = shown.resultProperty().get();
        List<String> warnings = shown.warnings();
        String notes = warnings.isEmpty() ? "" : "\n" + Messages.f("output.warning", String.join("; ", warnings));
        jobStatus.setText(notes.isEmpty() ? status(shown, r) : status(shown, r) + notes);
    }

    private String status(RenderJob shown, RenderResult r) {
        return switch (shown.status()) {
            case DONE ->
                Messages.f(
                        "output.done",
                        shown.number(),
                        r.output().getFileName(),
                        String.format("%.1f", r.seconds()),
                        Messages.has("engine.why." + r.engine())
                                ? Messages.t("engine.why." + r.engine())
                                : r.engineDescription());
            case FAILED -> Messages.f("output.failed", shown.number(), shown.error());
            default -> describe(shown);
        };
    }
}
