package studio.app;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import studio.diffusion.PngParameters;
import studio.diffusion.PortraitGenerator;
import studio.diffusion.PortraitGenerator.Settings;
import studio.diffusion.Sd15Checkpoint;
import studio.job.Cancellation;
import studio.job.CancelledException;
import studio.job.InputException;
import studio.job.JobContext;
import studio.job.Progress;
import studio.job.StudioException;
import studio.weights.StateDict;

/**
 * "Generate portrait…": a Stable Diffusion 1.x txt2img window with the A1111 controls (prompt,
 * negative prompt, seed, steps, CFG scale, sampler) and the checkpoint file (remembered). The
 * generation runs on its own thread with per-step progress and Cancel; "Use as portrait" saves the
 * PNG with its parameters chunk in the output folder and makes it the studio's portrait.
 * Not modal: the studio stays usable (renders keep going) while a portrait is generated.
 */
final class GeneratePortraitDialog {
    /** The loaded model, kept for the next generation with the same checkpoint (loading takes a while). */
    private static PortraitGenerator cached;

    private static Path cachedFile;

    private final StudioWindow w;
    final Stage window = new Stage();
    final TextField checkpoint = new TextField();
    final TextArea prompt = new TextArea();
    final TextArea negativePrompt = new TextArea();
    final CheckBox framing = new CheckBox();
    final TextField seed = new TextField();
    final Spinner<Integer> steps = new Spinner<>(1, 150, 25);
    final Spinner<Double> cfgScale = new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(1, 30, 7, 0.5));
    final ChoiceBox<String> sampler =
            new ChoiceBox<>(FXCollections.observableArrayList(PortraitGenerator.samplerNames()));
    final Button generate = new Button();
    final Button cancel = new Button();
    final Button use = new Button();
    final ProgressBar progress = new ProgressBar(0);
    final Label status = new Label();
    final ImageView result = new ImageView();
    private volatile Cancellation running;
    private BufferedImage image;
    private String parameters;
    private long usedSeed;

    GeneratePortraitDialog(StudioWindow w) {
        this.w = w;
        window.initOwner(w.stage);
        window.setTitle(Messages.t("generate.title"));

        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        ColumnConstraints c0 = new ColumnConstraints();
        c0.setMinWidth(Label.USE_PREF_SIZE);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(c0, c1);

        checkpoint.setId("generate-checkpoint");
        checkpoint.setPromptText(Messages.t("generate.checkpoint.prompt"));
        Path remembered = w.settings.sdCheckpoint();
        if (remembered != null) checkpoint.setText(remembered.toString());
        Button browse = Controls.browseButton(this::chooseCheckpoint);
        browse.setId("generate-browse");
        HBox.setHgrow(checkpoint, Priority.ALWAYS);
        int r = 0;
        row(grid, r++, "generate.checkpoint", checkpoint, new HBox(6, checkpoint, browse));

        prompt.setId("generate-prompt");
        prompt.setPrefRowCount(2);
        prompt.setWrapText(true);
        prompt.setPromptText(Messages.t("generate.prompt.prompt"));
        row(grid, r++, "generate.prompt", prompt, prompt);
        negativePrompt.setId("generate-negative");
        negativePrompt.setPrefRowCount(2);
        negativePrompt.setWrapText(true);
        row(grid, r++, "generate.negative", negativePrompt, negativePrompt);
        framing.setId("generate-framing");
        framing.setText(Messages.t("generate.framing"));
        framing.setSelected(true);
        framing.setWrapText(true);
        grid.add(framing, 1, r++);

        seed.setId("generate-seed");
        seed.setPromptText(Messages.t("generate.seed.random"));
        seed.setPrefColumnCount(12);
        steps.setId("generate-steps");
        steps.setEditable(true);
        steps.setPrefWidth(90);
        cfgScale.setId("generate-cfg");
        cfgScale.setEditable(true);
        cfgScale.setPrefWidth(90);
        sampler.setId("generate-sampler");
        sampler.setValue("DPM++ 2M Karras");
        row(grid, r++, "generate.seed", seed, seed);
        row(grid, r++, "generate.steps", steps, steps);
        row(grid, r++, "generate.cfg", cfgScale, cfgScale);
        row(grid, r++, "generate.sampler", sampler, sampler);

        generate.setId("generate-run");
        generate.setText(Messages.t("generate.run"));
        generate.setMnemonicParsing(true);
        generate.setDefaultButton(true);
        generate.setOnAction(e -> start());
        cancel.setId("generate-cancel");
        cancel.setText(Messages.t("generate.cancel"));
        cancel.setDisable(true);
        cancel.setOnAction(e -> cancelRunning());
        use.setId("generate-use");
        use.setText(Messages.t("generate.use"));
        use.setMnemonicParsing(true);
        use.setDisable(true);
        use.setOnAction(e -> useAsPortrait());
        progress.setId("generate-progress");
        progress.setMaxWidth(Double.MAX_VALUE);
        status.setId("generate-status");
        status.setWrapText(true);
        status.setMaxWidth(Double.MAX_VALUE);
        // Room for three lines from the start: the window is sized when shown, messages come later.
        status.setMinHeight(58);
        status.setAlignment(Pos.TOP_LEFT);
        status.setText(Messages.t("generate.status.ready"));
        HBox buttons = new HBox(8, generate, cancel, use);
        buttons.setAlignment(Pos.CENTER_LEFT);

        result.setId("generate-result");
        result.setFitWidth(320);
        result.setFitHeight(320);
        result.setPreserveRatio(true);
        StackPane picture = new StackPane(result);
        picture.getStyleClass().add("screen");
        picture.setMinSize(320, 320);
        picture.setPrefSize(320, 320);

        VBox left = new VBox(8, grid, buttons, progress, status);
        left.setPrefWidth(470);
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox root = new HBox(12, left, picture);
        root.setPadding(new Insets(12));
        root.setId("generate-dialog");
        Scene scene = new Scene(root);
        scene.getStylesheets().addAll(w.stage.getScene().getStylesheets());
        window.setScene(scene);
        window.setOnHidden(e -> cancelRunning());
    }

    private static void row(GridPane grid, int r, String key, javafx.scene.Node labelFor, javafx.scene.Node control) {
        Label l = new Label(Messages.t(key));
        l.setMnemonicParsing(true);
        l.setLabelFor(labelFor);
        l.setMinWidth(Label.USE_PREF_SIZE);
        grid.add(l, 0, r);
        grid.add(control, 1, r);
    }

    void show() {
        window.show();
        window.toFront();
    }

    private void chooseCheckpoint() {
        FileChooser fc = new FileChooser();
        fc.setTitle(Messages.t("generate.checkpoint.choose"));
        fc.getExtensionFilters()
                .addAll(
                        new FileChooser.ExtensionFilter(Messages.t("generate.filter.checkpoints"), "*.safetensors"),
                        new FileChooser.ExtensionFilter(Messages.t("inputs.filter.all"), "*"));
        Path current = typedCheckpoint();
        if (current != null && current.getParent() != null && Files.isDirectory(current.getParent()))
            fc.setInitialDirectory(current.getParent().toFile());
        File f = fc.showOpenDialog(window);
        if (f != null) checkpoint.setText(f.getPath());
    }

    private Path typedCheckpoint() {
        String s = checkpoint.getText() == null ? "" : checkpoint.getText().strip();
        return s.isEmpty() ? null : Path.of(s);
    }

    /** The settings as the controls give them; an InputException (plain words) when one is wrong. */
    Settings settings() {
        String s = seed.getText() == null ? "" : seed.getText().strip();
        long theSeed;
        if (s.isEmpty() || s.equals("-1")) {
            theSeed = new Random().nextLong() & 0xffffffffL;
        } else {
            try {
                theSeed = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new InputException(Messages.f("generate.error.seed", s));
            }
        }
        String subject = prompt.getText().strip(),
                negative = negativePrompt.getText().strip();
        if (!framing.isSelected())
            return new Settings(
                    subject, negative, theSeed, steps.getValue(), cfgScale.getValue(), 512, 512, sampler.getValue(), 1);
        Settings preset = Settings.portrait(subject.isEmpty() ? "a person" : subject, theSeed);
        String neg = negative.isEmpty() ? preset.negativePrompt() : negative + ", " + preset.negativePrompt();
        return new Settings(
                preset.prompt(),
                neg,
                theSeed,
                steps.getValue(),
                cfgScale.getValue(),
                preset.width(),
                preset.height(),
                sampler.getValue(),
                preset.clipSkip());
    }

    /** Starts a generation on its own thread; a problem with the inputs is said in the status line. */
    void start() {
        if (running != null) return;
        Path file = typedCheckpoint();
        if (file == null) {
            problem(Messages.t("generate.error.noCheckpoint"));
            return;
        }
        Settings s;
        try {
            s = settings();
        } catch (StudioException e) {
            problem(e.getMessage());
            return;
        }
        w.settings.setSdCheckpoint(file);
        Cancellation c = new Cancellation();
        running = c;
        generate.setDisable(true);
        cancel.setDisable(false);
        progress.setProgress(-1);
        status.getStyleClass().remove("generate-problem");
        status.setText(Messages.t("generate.status.loading"));
        AppLog.info(
                "generating a portrait with " + file + ": " + s.infotext(null).replace('\n', ' '));
        Thread t = new Thread(() -> run(file, s, c), "studio-generate");
        t.setDaemon(true);
        t.start();
    }

    private void run(Path file, Settings s, Cancellation c) {
        try {
            PortraitGenerator gen = generator(file);
            c.check();
            JobContext job = new JobContext(
                    p -> Platform.runLater(() -> {
                        if (running != c) return;
                        progress.setProgress(p.total() > 0 && p.done() > 0 ? p.fraction() : -1);
                        status.setText(
                                p.done() == 0
                                        ? Messages.t("generate.status.prompt")
                                        : Messages.f(
                                                "generate.status.step",
                                                p.done(),
                                                p.total(),
                                                p.remaining() == null ? "" : Progress.clock(p.remaining())));
                    }),
                    c);
            BufferedImage img = gen.generate(s, job);
            String info = s.infotext(gen.modelName());
            Platform.runLater(() -> finished(c, img, info, s.seed()));
        } catch (CancelledException e) {
            Platform.runLater(() -> ended(c, Messages.t("generate.status.cancelled"), false));
        } catch (StudioException e) {
            AppLog.warn("portrait generation failed: " + e.getMessage());
            Platform.runLater(() -> ended(c, e.getMessage(), true));
        } catch (RuntimeException | OutOfMemoryError e) {
            AppLog.error("portrait generation failed", e);
            Platform.runLater(() -> ended(c, Messages.t("generate.error.failed"), true));
        }
    }

    /** The model of {@code file}, loaded once and kept while the same file is used. */
    private static synchronized PortraitGenerator generator(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (abs.equals(cachedFile)) return cached;
        if (cached != null) cached.close();
        cached = null;
        cachedFile = null;
        String f = abs.getFileName().toString();
        String name = f.contains(".") ? f.substring(0, f.lastIndexOf('.')) : f;
        try (StateDict dict = Sd15Checkpoint.open(abs)) {
            cached = PortraitGenerator.load(dict, name);
        }
        cachedFile = abs;
        return cached;
    }

    private void finished(Cancellation c, BufferedImage img, String info, long seedUsed) {
        if (running != c) return;
        image = img;
        parameters = info;
        usedSeed = seedUsed;
        result.setImage(SwingFXUtils.toFXImage(img, null));
        use.setDisable(false);
        ended(c, Messages.f("generate.status.done", Long.toString(seedUsed)), false);
        progress.setProgress(1);
    }

    private void ended(Cancellation c, String message, boolean isProblem) {
        if (running != c) return;
        running = null;
        generate.setDisable(false);
        cancel.setDisable(true);
        progress.setProgress(0);
        if (isProblem) problem(message);
        else {
            status.getStyleClass().remove("generate-problem");
            status.setText(message);
        }
    }

    private void problem(String message) {
        if (!status.getStyleClass().contains("generate-problem"))
            status.getStyleClass().add("generate-problem");
        status.setText(message);
    }

    void cancelRunning() {
        Cancellation c = running;
        if (c != null) {
            c.cancel();
            status.setText(Messages.t("generate.status.cancelling"));
        }
    }

    /** Saves the picture (PNG with its parameters) in the output folder and makes it the portrait. */
    void useAsPortrait() {
        if (image == null) return;
        Path dir = w.model.outputDir.get();
        BufferedImage img = image;
        String info = parameters;
        long s = usedSeed;
        w.background(() -> {
            try {
                Files.createDirectories(dir);
                Path file = dir.resolve(String.format(Locale.ROOT, "portrait-%d.png", s));
                for (int i = 2; Files.exists(file); i++)
                    file = dir.resolve(String.format(Locale.ROOT, "portrait-%d-%d.png", s, i));
                PngParameters.write(img, info, file);
                Path saved = file;
                AppLog.info("generated portrait saved: " + saved);
                Platform.runLater(() -> {
                    status.setText(Messages.f("generate.status.saved", saved));
                    w.loadPortrait(saved);
                });
            } catch (IOException | StudioException e) {
                Platform.runLater(() -> problem(Messages.f("generate.error.save", dir, e.getMessage())));
            }
        });
    }

    /** Shows {@code img} as if it had just been generated (tests, and re-opening a result). */
    void showResult(BufferedImage img, String info, long seedUsed) {
        image = img;
        parameters = info;
        usedSeed = seedUsed;
        result.setImage(SwingFXUtils.toFXImage(img, null));
        use.setDisable(false);
    }
}
