package studio.app;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
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
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import studio.diffusion.PngParameters;
import studio.diffusion.PortraitGenerator;
import studio.diffusion.PortraitGenerator.Settings;
import studio.job.Cancellation;
import studio.job.CancelledException;
import studio.job.InputException;
import studio.job.JobContext;
import studio.job.Progress;
import studio.job.ProgressListener;
import studio.job.StudioException;
import studio.pipeline.PortraitJob;

/**
 * "Generate portrait…": a Stable Diffusion 1.x window with the A1111 controls (prompt with
 * {@code <lora:…>} tags, negative prompt, seed, steps, CFG scale, sampler; img2img start picture,
 * denoising strength and inpainting mask) and the checkpoint (remembered once it loaded). It runs the
 * CLI's {@link PortraitJob} on its own thread with per-step progress and Cancel; "Use as portrait" saves the
 * PNG with its parameters chunk in the output folder and makes it the studio's portrait.
 * Not modal: the studio stays usable (renders keep going) while a portrait is generated.
 */
final class GeneratePortraitDialog {
    private final StudioWindow w;
    final Stage window = new Stage();
    final TextField checkpoint = new TextField();
    final TextField loraDir = new TextField();
    final TextField initImage = new TextField();
    final Slider denoising = new Slider(0, 1, 0.75);
    final Label denoisingValue = new Label();
    final TextField mask = new TextField();
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
        // diffusers models are folders (model_index.json, unet/, vae/, text_encoder/)
        Button folder = new Button(Messages.t("generate.checkpoint.folder"));
        folder.setId("generate-browse-folder");
        folder.setMnemonicParsing(false);
        folder.setMinWidth(Button.USE_PREF_SIZE);
        folder.setOnAction(e -> chooseFolder(checkpoint, "generate.checkpoint.chooseFolder"));
        HBox.setHgrow(checkpoint, Priority.ALWAYS);
        int r = 0;
        row(grid, r++, "generate.checkpoint", checkpoint, new HBox(6, checkpoint, browse, folder));

        loraDir.setId("generate-lora-dir");
        loraDir.setPromptText(Messages.t("generate.lora.prompt"));
        Path loras = w.settings.loraDir();
        if (loras != null) loraDir.setText(loras.toString());
        Button browseLoras = Controls.browseButton(() -> chooseFolder(loraDir, "generate.lora.choose"));
        HBox.setHgrow(loraDir, Priority.ALWAYS);
        row(grid, r++, "generate.lora", loraDir, new HBox(6, loraDir, browseLoras));

        prompt.setId("generate-prompt");
        prompt.setPrefRowCount(2);
        prompt.setWrapText(true);
        prompt.setPromptText(Messages.t("generate.prompt.prompt"));
        prompt.setText(w.settings.sdPrompt());
        row(grid, r++, "generate.prompt", prompt, prompt);
        negativePrompt.setId("generate-negative");
        negativePrompt.setPrefRowCount(2);
        negativePrompt.setWrapText(true);
        negativePrompt.setText(w.settings.sdNegativePrompt());
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

        // img2img and inpainting, as A1111's tabs of the same names
        initImage.setId("generate-init-image");
        initImage.setPromptText(Messages.t("generate.init.prompt"));
        Button browseInit = Controls.browseButton(() -> choosePicture(initImage, "generate.init.choose"));
        Button currentPortrait = new Button(Messages.t("generate.init.portrait"));
        currentPortrait.setId("generate-init-portrait");
        currentPortrait.setMnemonicParsing(false);
        currentPortrait.setMinWidth(Button.USE_PREF_SIZE);
        currentPortrait.disableProperty().bind(w.model.portraitImage.isNull());
        currentPortrait.setOnAction(e -> {
            Path p = w.model.portraitPath.get();
            if (p != null) initImage.setText(p.toString());
        });
        HBox.setHgrow(initImage, Priority.ALWAYS);
        row(grid, r++, "generate.init", initImage, new HBox(6, initImage, browseInit, currentPortrait));
        denoising.setId("generate-denoising");
        denoising.setBlockIncrement(0.05);
        denoisingValue.setMinWidth(36);
        denoisingValue
                .textProperty()
                .bind(denoising.valueProperty().map(v -> String.format(Locale.ROOT, "%.2f", v.doubleValue())));
        HBox.setHgrow(denoising, Priority.ALWAYS);
        HBox strength = new HBox(6, denoising, denoisingValue);
        strength.setAlignment(Pos.CENTER_LEFT);
        row(grid, r++, "generate.denoising", denoising, strength);
        mask.setId("generate-mask");
        mask.setPromptText(Messages.t("generate.mask.prompt"));
        Button browseMask = Controls.browseButton(() -> choosePicture(mask, "generate.mask.choose"));
        HBox.setHgrow(mask, Priority.ALWAYS);
        row(grid, r++, "generate.mask", mask, new HBox(6, mask, browseMask));
        // only meaningful with a start picture
        strength.disableProperty().bind(initImage.textProperty().map(String::isBlank));

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
        // Escape closes the window, as any dialog (a running generation is cancelled when it hides).
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                window.close();
            }
        });
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
        File f = Controls.chooseFile(
                window,
                Messages.t("generate.checkpoint.choose"),
                Messages.t("generate.filter.checkpoints"),
                List.of("*.safetensors", "*.ckpt"),
                Controls.typedPathOrNull(checkpoint));
        if (f != null) checkpoint.setText(f.getPath());
    }

    /** Asks for a folder, starting in the one typed in {@code field} (else home), and puts it there. */
    private void chooseFolder(TextField field, String titleKey) {
        Path current = Controls.typedPathOrNull(field);
        File d = Controls.chooseFolder(
                window, titleKey, current == null ? new File(System.getProperty("user.home")) : current.toFile());
        if (d != null) field.setText(d.getPath());
    }

    private void choosePicture(TextField field, String titleKey) {
        File f = Controls.chooseFile(
                window,
                Messages.t(titleKey),
                Messages.t("inputs.filter.images"),
                InputsPane.IMAGE_EXT,
                Controls.typedPathOrNull(field));
        if (f != null) field.setText(f.getPath());
    }

    /**
     * Where {@code <lora:name>} tags are looked up: the folder chosen, else A1111's layout beside the
     * checkpoint ({@code models/Lora} next to {@code models/Stable-diffusion}) when it exists, else the
     * checkpoint's own folder.
     */
    static Path loraFolder(Path chosen, Path checkpointFile) {
        if (chosen != null) return chosen;
        Path parent = checkpointFile.toAbsolutePath().getParent();
        if (parent == null) return null;
        Path a1111 = parent.getParent() == null ? null : parent.getParent().resolve("Lora");
        return a1111 != null && Files.isDirectory(a1111) ? a1111 : parent;
    }

    /** What the window's controls ask for: the same job the CLI's {@code portrait} runs. */
    PortraitJob.Request request() {
        Path file = Controls.typedPath(checkpoint.getText());
        if (file == null) throw new InputException(Messages.t("generate.error.noCheckpoint"));
        Path init = Controls.typedPath(initImage.getText());
        return new PortraitJob.Request(
                file,
                loraFolder(Controls.typedPath(loraDir.getText()), file),
                settings(),
                init,
                init == null ? 0 : denoising.getValue(),
                Controls.typedPath(mask.getText()),
                w.model.options.get().compute());
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
        PortraitJob.Request request;
        try {
            request = request();
            request.loras(); // a tag whose LoRA is missing is said now, not after loading the model
        } catch (StudioException e) {
            problem(UiText.of(e.getMessage()));
            return;
        }
        w.settings.setSdPrompt(
                prompt.getText().strip(), negativePrompt.getText().strip());
        Path chosenLoras = Controls.typedPathOrNull(loraDir);
        if (chosenLoras != null) w.settings.setLoraDir(chosenLoras);
        Cancellation c = new Cancellation();
        running = c;
        generate.setDisable(true);
        cancel.setDisable(false);
        progress.setProgress(-1);
        status.getStyleClass().remove("generate-problem");
        status.setText(Messages.t("generate.status.loading"));
        AppLog.info("generating a portrait with " + request.model() + ": "
                + request.settings().infotext(null).replace('\n', ' '));
        Thread t = new Thread(() -> run(request, c), "studio-generate");
        t.setDaemon(true);
        t.start();
    }

    private void run(PortraitJob.Request request, Cancellation c) {
        AtomicBoolean loaded = new AtomicBoolean();
        try {
            JobContext job = new JobContext(
                    new ProgressListener() {
                        @Override
                        public void onProgress(Progress p) {
                            // the first report comes once the model has loaded: only then is the file worth remembering
                            if (loaded.compareAndSet(false, true))
                                Platform.runLater(() -> w.settings.setSdCheckpoint(request.model()));
                            Platform.runLater(() -> {
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
                            });
                        }

                        @Override
                        public void onWarning(String message) {
                            AppLog.warn("portrait generation: " + message);
                        }
                    },
                    c);
            PortraitJob.Result r = PortraitJob.generate(request, job);
            Platform.runLater(() -> finished(c, r.image(), r.infotext(), r.seed()));
        } catch (CancelledException e) {
            Platform.runLater(() -> ended(c, Messages.t("generate.status.cancelled"), false));
        } catch (StudioException e) {
            AppLog.warn("portrait generation failed: " + e.getMessage());
            Platform.runLater(() -> ended(c, UiText.of(e.getMessage()), true));
        } catch (RuntimeException | OutOfMemoryError e) {
            AppLog.error("portrait generation failed", e);
            Platform.runLater(() -> ended(c, Messages.t("generate.error.failed"), true));
        }
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
