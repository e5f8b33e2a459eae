package studio.app;

import java.awt.Desktop;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import studio.enhance.FaceRestorer;
import studio.face.Portrait;
import studio.job.DiskSpace;
import studio.job.OutputFile;
import studio.job.StudioException;
import studio.pipeline.RenderOptions;

/**
 * The main window: menus, the Studio tab (inputs | options | output) and the Models tab. Holds
 * the state that outlives a language switch (inputs, queue, player); the panes are rebuilt from it.
 */
public final class StudioWindow {
    public static final double DEFAULT_WIDTH = 1280, DEFAULT_HEIGHT = 820;
    final Stage stage;
    final Settings settings;
    final RenderQueue queue = new RenderQueue();
    final VideoPlayer player;
    private final javafx.scene.image.ImageView videoView = new javafx.scene.image.ImageView();
    private final ExecutorService background = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "studio-background");
        t.setDaemon(true);
        return t;
    });
    final StudioModel model;
    private int portraitTicket, audioTicket;
    /** The files whose portrait and clip are loaded now (a rejected file gives way to them again). */
    private Path loadedPortrait, loadedAudio;

    private GeneratePortraitDialog generateDialog;
    InputsPane inputs;
    OptionsPane options;
    OutputPane output;
    ModelsView models;
    TabPane tabs;
    private Tab modelsTab;

    public StudioWindow(Stage stage, Settings settings) {
        this.stage = stage;
        this.settings = settings;
        this.player = new VideoPlayer(videoView);
        this.model = new StudioModel(settings);
        queue.setOnFinished(this::finished);
        model.selectedJob.addListener((o, a, job) -> {
            if (job != null
                    && job.status() == RenderJob.Status.DONE
                    && !job.resultProperty().get().output().equals(player.file()))
                player.play(job.resultProperty().get().output());
        });
        model.checkpointDir.addListener((o, a, d) -> {
            settings.setCheckpointDir(d);
            if (model.portraitPixels.get() != null && !model.portraitLoading.get()) {
                model.analysis.set(null); // another folder may hold other face models: look again
                analyse();
            }
        });
        model.outputDir.addListener((o, a, d) -> settings.setOutputDir(d));
        model.options.addListener((o, a, opts) -> settings.saveOptions(opts));
        stage.setTitle(Messages.t("app.title"));
        Scene scene = new Scene(build(), DEFAULT_WIDTH, DEFAULT_HEIGHT);
        scene.getStylesheets().add(StudioWindow.class.getResource("studio.css").toExternalForm());
        stage.setScene(scene);
        stage.setOnHidden(e -> close());
        // The window's close button (and the desktop's close) asks first while renders run or wait.
        stage.setOnCloseRequest(e -> {
            if (!confirmQuit()) e.consume();
        });
    }

    public RenderQueue queue() {
        return queue;
    }

    public VideoPlayer player() {
        return player;
    }

    private Parent build() {
        inputs = new InputsPane(this);
        options = new OptionsPane(this);
        output = new OutputPane(this);
        // The player's ImageView moves to the new output pane so playback survives a language switch.
        output.video.imageProperty().bind(videoView.imageProperty());
        // Each column scrolls when the window is too small for it (down to 1024x700) and fills it when larger.
        ScrollPane inputsColumn = column(inputs, 370, 290),
                optionsColumn = column(options, 400, 330),
                outputColumn = column(output, 420, 330);
        HBox studio = new HBox(10, inputsColumn, optionsColumn, outputColumn);
        HBox.setHgrow(outputColumn, Priority.ALWAYS);
        HBox.setHgrow(inputsColumn, Priority.SOMETIMES);
        studio.setPadding(new Insets(10));
        models = new ModelsView(this);
        Tab studioTab = new Tab(Messages.t("tab.studio"), studio);
        studioTab.setId("tab-studio");
        modelsTab = new Tab(Messages.t("tab.models"), models);
        modelsTab.setId("tab-models");
        tabs = new TabPane(studioTab, modelsTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        BorderPane root = new BorderPane(tabs);
        root.setTop(menus());
        return root;
    }

    private static ScrollPane column(Region pane, double prefWidth, double minWidth) {
        ScrollPane column = new ScrollPane(pane);
        column.setFitToWidth(true);
        // Fills the height (the picture and video grow) while the column fits; scrolls once it does not.
        column.fitToHeightProperty()
                .bind(Bindings.createBooleanBinding(
                        () -> column.getViewportBounds().getHeight()
                                >= pane.minHeight(column.getViewportBounds().getWidth()),
                        column.viewportBoundsProperty()));
        column.setHbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
        column.setPrefWidth(prefWidth);
        column.setMinWidth(minWidth);
        column.getStyleClass().add("column");
        return column;
    }

    private MenuBar menus() {
        MenuItem openPortrait = item("menu.openPortrait", "Shortcut+O", () -> inputs.choosePortrait());
        MenuItem openAudio = item("menu.openAudio", "Shortcut+Shift+O", () -> inputs.chooseAudio());
        Menu recentPortraits = new Menu(Messages.t("menu.recentPortraits"));
        Menu recentAudio = new Menu(Messages.t("menu.recentAudio"));
        recentPortraits.setOnShowing(e -> fillRecent(recentPortraits, "portrait", this::loadPortrait));
        recentAudio.setOnShowing(e -> fillRecent(recentAudio, "audio", this::loadAudio));
        fillRecent(recentPortraits, "portrait", this::loadPortrait);
        fillRecent(recentAudio, "audio", this::loadAudio);
        MenuItem generate = item("menu.generatePortrait", "Shortcut+G", this::generatePortrait);
        MenuItem render = item("menu.render", "Shortcut+R", this::render);
        render.disableProperty()
                .bind(Bindings.createBooleanBinding(() -> renderBlocker() != null, renderBlockerInputs()));
        MenuItem export = item("menu.export", "Shortcut+E", this::exportVideo);
        MenuItem quit = item("menu.quit", "Shortcut+Q", this::quit);
        Menu file = new Menu(
                Messages.t("menu.file"),
                null,
                openPortrait,
                generate,
                openAudio,
                recentPortraits,
                recentAudio,
                new SeparatorMenuItem(),
                render,
                export,
                new SeparatorMenuItem(),
                quit);

        MenuItem studio =
                item("menu.studio", "Shortcut+1", () -> tabs.getSelectionModel().select(0));
        MenuItem modelsItem =
                item("menu.models", "Shortcut+2", () -> tabs.getSelectionModel().select(1));
        MenuItem log = item("menu.log", "Shortcut+L", () -> Dialogs.showLog(stage));
        Menu view = new Menu(Messages.t("menu.view"), null, studio, modelsItem, new SeparatorMenuItem(), log);

        ToggleGroup langs = new ToggleGroup();
        Menu language = new Menu(Messages.t("menu.language"));
        for (String[] l : new String[][] {
            {Settings.LANG_SYSTEM, "menu.language.system"},
            {Settings.LANG_EN, "menu.language.en"},
            {Settings.LANG_ZH, "menu.language.zh"}
        }) {
            RadioMenuItem m = new RadioMenuItem(Messages.t(l[1]));
            m.setToggleGroup(langs);
            m.setSelected(settings.language().equals(l[0]));
            m.setOnAction(e -> switchLanguage(l[0]));
            language.getItems().add(m);
        }
        Menu settingsMenu = new Menu(Messages.t("menu.settings"), null, language);
        MenuBar bar = new MenuBar(file, view, settingsMenu);
        bar.setId("menu-bar");
        return bar;
    }

    private static MenuItem item(String key, String accel, Runnable action) {
        MenuItem m = new MenuItem(Messages.t(key));
        if (accel != null) m.setAccelerator(KeyCombination.keyCombination(accel));
        m.setOnAction(e -> action.run());
        return m;
    }

    private void fillRecent(Menu menu, String kind, Consumer<Path> load) {
        menu.getItems().clear();
        List<Path> recent = settings.recent(kind);
        for (Path p : recent) {
            MenuItem m = new MenuItem(p.getFileName() + "  —  " + p.getParent());
            m.setMnemonicParsing(false);
            m.setOnAction(e -> load.accept(p));
            menu.getItems().add(m);
        }
        if (recent.isEmpty()) {
            MenuItem none = new MenuItem(Messages.t("menu.recent.none"));
            none.setDisable(true);
            menu.getItems().add(none);
        }
    }

    /** Opens the Models tab (a "Get it" link: where a missing checkpoint is downloaded). */
    void showModels() {
        tabs.getSelectionModel().select(modelsTab);
    }

    /** A fresh Models tab (another checkpoint folder). */
    void rebuildModels() {
        models = new ModelsView(this);
        modelsTab.setContent(models);
    }

    /** Rebuilds the UI in another language; renders, inputs and the player carry on. */
    public void switchLanguage(String language) {
        settings.setLanguage(language);
        Messages.use(settings.locale());
        stage.setTitle(Messages.t("app.title"));
        int tab = tabs.getSelectionModel().getSelectedIndex();
        stage.getScene().setRoot(build());
        tabs.getSelectionModel().select(tab);
    }

    void background(Runnable r) {
        // a listener may still fire while the window closes: work asked for after that has no one to show it to
        if (background.isShutdown()) return;
        background.submit(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                AppLog.error("background task failed", e);
            }
        });
    }

    /** Reads the portrait off the FX thread; a bad file gives the plain-words error dialog. */
    public void loadPortrait(Path file) {
        int ticket = ++portraitTicket;
        model.portraitPath.set(file);
        model.portraitLoading.set(true);
        loadLatest(
                "portrait",
                "error.portrait",
                ticket,
                () -> portraitTicket,
                () -> {
                    BufferedImage img = Portrait.load(file);
                    return new LoadedPortrait(img, SwingFXUtils.toFXImage(img, null));
                },
                loaded -> {
                    model.analysis.set(null);
                    model.portraitPixels.set(loaded.pixels());
                    model.portraitImage.set(loaded.image());
                    model.portraitLoading.set(false);
                    loadedPortrait = file;
                    settings.addRecent("portrait", file);
                    AppLog.info("portrait " + file + ": " + loaded.pixels().getWidth() + "x"
                            + loaded.pixels().getHeight());
                    analyse();
                },
                () -> {
                    model.portraitLoading.set(false);
                    if (loadedPortrait != null && model.portraitImage.get() != null) {
                        // the picture shown before stays, and its path comes back into the field
                        model.portraitPath.set(loadedPortrait);
                        if (model.analysis.get() == null) analyse();
                        return;
                    }
                    model.portraitPath.set(null);
                    model.portraitPixels.set(null);
                    model.portraitImage.set(null);
                    model.analysis.set(null);
                });
    }

    private record LoadedPortrait(BufferedImage pixels, javafx.scene.image.Image image) {}

    /**
     * Reads an input off the FX thread, then, back on it and only if no newer load of the same input
     * has started since ({@code latest} still gives {@code ticket}), applies it; a rejected file is
     * logged, {@code rejected} resets the input, and the plain-words error dialog names the problem.
     */
    private <T> void loadLatest(
            String input,
            String errorKey,
            int ticket,
            IntSupplier latest,
            Supplier<T> read,
            Consumer<T> loaded,
            Runnable rejected) {
        background(() -> {
            try {
                T value = read.get();
                Platform.runLater(() -> {
                    if (ticket == latest.getAsInt()) loaded.accept(value);
                });
            } catch (StudioException e) {
                Platform.runLater(() -> {
                    if (ticket != latest.getAsInt()) return;
                    AppLog.warn(input + " rejected: " + e.getMessage());
                    rejected.run();
                    Dialogs.error(stage, Messages.t(errorKey), UiText.of(e.getMessage()));
                });
            }
        });
    }

    /** Detects the face off the FX thread; the crop of the chosen mode is drawn from it. */
    private void analyse() {
        BufferedImage img = model.portraitPixels.get();
        Path checkpoints = model.checkpointDir.get();
        int ticket = portraitTicket;
        background(() -> {
            PortraitAnalysis.Result r;
            try {
                r = PortraitAnalysis.analyse(img, checkpoints);
            } catch (StudioException e) {
                r = PortraitAnalysis.Result.failed(UiText.of(e.getMessage()));
            } catch (RuntimeException e) {
                AppLog.error("face detection failed", e);
                r = PortraitAnalysis.Result.failed(Messages.t("inputs.face.error"));
            }
            PortraitAnalysis.Result result = r;
            Platform.runLater(() -> {
                if (ticket == portraitTicket) model.analysis.set(result);
            });
        });
    }

    /** Decodes the clip off the FX thread for its waveform and duration. */
    public void loadAudio(Path file) {
        int ticket = ++audioTicket;
        model.audioPath.set(file);
        model.audioLoading.set(true);
        loadLatest(
                "audio",
                "error.audio",
                ticket,
                () -> audioTicket,
                () -> AudioClip.load(file),
                clip -> {
                    stopListening();
                    model.audio.set(clip);
                    model.audioLoading.set(false);
                    loadedAudio = file;
                    settings.addRecent("audio", file);
                    AppLog.info("audio " + file + ": " + String.format("%.2f s", clip.seconds()));
                },
                () -> {
                    model.audioLoading.set(false);
                    if (loadedAudio != null && model.audio.get() != null) {
                        model.audioPath.set(loadedAudio); // the clip before stays
                        return;
                    }
                    stopListening();
                    model.audioPath.set(null);
                    model.audio.set(null);
                });
    }

    private void stopListening() {
        if (model.audio.get() != null) model.audio.get().stop();
        model.audioPlaying.set(false);
    }

    /** Plays or stops the clip; false when there is no sound output to play it on. */
    boolean toggleListen() {
        AudioClip clip = model.audio.get();
        if (clip == null) return true;
        if (clip.playing()) {
            stopListening();
            return true;
        }
        if (!clip.play(() -> Platform.runLater(() -> model.audioPlaying.set(false)))) return false;
        model.audioPlaying.set(true);
        return true;
    }

    /** Opens the "Generate portrait…" window (one; it keeps its settings and result while open). */
    void generatePortrait() {
        if (generateDialog == null || !generateDialog.window.isShowing())
            generateDialog = new GeneratePortraitDialog(this);
        generateDialog.show();
    }

    GeneratePortraitDialog generateDialog() {
        return generateDialog;
    }

    /**
     * Why Render cannot start now, in plain words; null when it can. Render is disabled with this
     * reason beside it (not a dialog after the click).
     */
    String renderBlocker() {
        if (model.portraitLoading.get() || model.audioLoading.get()) return Messages.t("output.render.loading");
        if (model.portraitImage.get() == null) return Messages.t("error.needPortrait");
        PortraitAnalysis.Result analysis = model.analysis.get();
        if (analysis != null && analysis.face() == null) return Messages.t("output.render.noFace");
        if (model.audio.get() == null) return Messages.t("error.needAudio");
        if (model.optionsProblem.get() != null) return model.optionsProblem.get();
        return null;
    }

    /** What {@link #renderBlocker()} reads. */
    Observable[] renderBlockerInputs() {
        return new Observable[] {
            model.portraitLoading,
            model.audioLoading,
            model.portraitImage,
            model.analysis,
            model.audio,
            model.optionsProblem
        };
    }

    /** Queues a render of the current inputs with the current options. */
    public void render() {
        Path portraitPath = model.portraitImage.get() == null ? null : model.portraitPath.get();
        Path audioPath = model.audio.get() == null ? null : model.audioPath.get();
        if (portraitPath == null || audioPath == null) {
            Dialogs.error(
                    stage,
                    Messages.t("error.render"),
                    Messages.t(portraitPath == null ? "error.needPortrait" : "error.needAudio"));
            return;
        }
        if (model.options.get().enhancer() == RenderOptions.Enhancer.GFPGAN) {
            try {
                FaceRestorer.locate(model.checkpointDir.get());
            } catch (StudioException e) {
                Dialogs.error(stage, Messages.t("error.render"), OptionsPane.gfpganMissing());
                return;
            }
        }
        Path dir = model.outputDir.get();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            Dialogs.error(stage, Messages.t("error.render"), Messages.f("error.outputDir", dir, e.getMessage()));
            return;
        }
        try {
            queue.submit(model.optionsFor(portraitPath, audioPath, queue.nextOutput(dir, portraitPath, audioPath)));
        } catch (StudioException e) {
            Dialogs.error(stage, Messages.t("error.render"), UiText.of(e.getMessage()));
        }
    }

    private void finished(RenderJob job) {
        switch (job.status()) {
            case DONE -> {
                model.selectedJob.set(null); // the same job again still counts as a change: it has finished since
                model.selectedJob.set(job);
            }
            case FAILED -> Dialogs.error(stage, Messages.f("error.renderFailed", job.number()), job.error());
            default -> {}
        }
    }

    /** Plays a finished job's video from the start (double-click on its queue row). */
    void playJob(RenderJob job) {
        if (job.status() != RenderJob.Status.DONE) return;
        model.selectedJob.set(job);
        player.play(job.resultProperty().get().output());
    }

    /** Removes a job that is not running from the queue (a waiting one is cancelled). */
    void removeJob(RenderJob job) {
        if (!queue.remove(job)) return;
        if (model.selectedJob.get() == job) model.selectedJob.set(null);
        AppLog.info("removed render #" + job.number() + " from the queue");
    }

    void replay() {
        if (player.file() != null) player.play(player.file());
    }

    /** The selected finished job's video, else the one playing. */
    private Path chosenVideo() {
        RenderJob j = model.selectedJob.get();
        if (j != null && j.status() == RenderJob.Status.DONE)
            return j.resultProperty().get().output();
        return player.file();
    }

    /** Where the last export was written (the output pane confirms it); null before the first. */
    final ObjectProperty<Path> lastExport = new SimpleObjectProperty<>();

    void exportVideo() {
        Path src = chosenVideo();
        if (src == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle(Messages.t("output.export.title"));
        fc.setInitialFileName(src.getFileName().toString());
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("MP4", "*.mp4"));
        File f = fc.showSaveDialog(stage);
        if (f != null) exportTo(src, f);
    }

    /** Copies the video to {@code f} off the FX thread; {@link #lastExport} says where once written. */
    void exportTo(Path src, File f) {
        background(() -> {
            try {
                try (OutputFile target = OutputFile.create(f.toPath(), List.of(src))) {
                    Files.copy(src, target.temp(), StandardCopyOption.REPLACE_EXISTING);
                    target.commit();
                }
                AppLog.info("exported " + src + " to " + f);
                Platform.runLater(() -> lastExport.set(f.toPath().toAbsolutePath()));
            } catch (IOException | StudioException e) {
                AppLog.error("export failed", e);
                String why = e instanceof IOException io ? DiskSpace.explain(io) : UiText.of(e.getMessage());
                Platform.runLater(
                        () -> Dialogs.error(stage, Messages.t("error.export"), Messages.f("error.exportWhy", f, why)));
            }
        });
    }

    /** Opens the output folder in the desktop's file manager. */
    void openFolder() {
        Path src = chosenVideo();
        if (src == null) return;
        Path dir = src.toAbsolutePath().getParent();
        background(() -> {
            try {
                if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
                    Desktop.getDesktop().open(dir.toFile());
                } else {
                    new ProcessBuilder(
                                    System.getProperty("os.name").startsWith("Mac") ? "open" : "xdg-open",
                                    dir.toString())
                            .start();
                }
            } catch (IOException | RuntimeException e) {
                AppLog.warn("cannot open " + dir + ": " + e.getMessage());
                Platform.runLater(() ->
                        Dialogs.error(stage, Messages.t("error.openFolder"), Messages.f("error.openFolderWhy", dir)));
            }
        });
    }

    /** File > Quit (Ctrl+Q): closes the window, asking first while renders run or wait. */
    void quit() {
        if (confirmQuit()) stage.close();
    }

    /**
     * True when the window may close: nothing runs or waits, or the user chose to quit and cancel
     * the renders (a dialog with "Quit and cancel renders" and "Keep working", the latter the default).
     */
    boolean confirmQuit() {
        if (!queue.busy()) return true;
        long waiting = queue.jobs().stream()
                .filter(j -> j.status() == RenderJob.Status.QUEUED)
                .count();
        ButtonType quitAnyway = Dialogs.button("quit.confirm", ButtonBar.ButtonData.OK_DONE);
        ButtonType keep = Dialogs.button("quit.keep", ButtonBar.ButtonData.CANCEL_CLOSE);
        Dialog<ButtonType> a = Dialogs.dialog(stage, "confirmation", keep, quitAnyway);
        a.initModality(Modality.WINDOW_MODAL);
        a.setHeaderText(Messages.t("quit.header"));
        a.getDialogPane()
                .setContent(Dialogs.message(
                        Messages.f("quit.text", queue.runningProperty().get() == null ? 0 : 1, waiting)));
        a.getDialogPane().setId("quit-dialog");
        ((Button) a.getDialogPane().lookupButton(keep)).setDefaultButton(true);
        ((Button) a.getDialogPane().lookupButton(quitAnyway)).setDefaultButton(false);
        return a.showAndWait().orElse(keep) == quitAnyway;
    }

    private void close() {
        player.stop();
        stopListening();
        queue.close(); // cancels the renders and waits briefly, so the running one removes its temporary file
        background.shutdownNow();
    }
}
