package studio.app;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.WeakInvalidationListener;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import studio.enhance.FaceRestorer;
import studio.face.Preprocess;
import studio.job.InputException;
import studio.job.StudioException;
import studio.nn.Compute;
import studio.pipeline.Engines;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderOptions.EngineChoice;
import studio.pipeline.RenderOptions.Enhancer;
import studio.render.TalkingHeadEngine;
import studio.render.TalkingHeadEngine.Capability;
import studio.weights.Checkpoint;

/** Options area: every render option with a one-line hint; remembered between runs. */
final class OptionsPane extends VBox {
    private final StudioWindow w;
    final Slider poseStyle = new Slider(0, 45, 0);
    final Label poseValue = new Label();
    final PosePreview posePreview = new PosePreview();
    final ChoiceBox<Preprocess> preprocess = new ChoiceBox<>(FXCollections.observableArrayList(Preprocess.values()));
    final Label preprocessHint = hint("");
    final CheckBox still = new CheckBox();
    final ChoiceBox<Integer> size = new ChoiceBox<>(FXCollections.observableArrayList(256, 512));
    final ChoiceBox<Enhancer> enhancer = new ChoiceBox<>(FXCollections.observableArrayList(Enhancer.values()));
    final CheckBox enhancerUpscale = new CheckBox();
    final Spinner<Double> expressionScale =
            new Spinner<>(new SpinnerValueFactory.DoubleSpinnerValueFactory(0, 3, 1, 0.1));
    final CheckBox blink = new CheckBox();
    final Spinner<Integer> batchSize = new Spinner<>(1, 32, 2);
    final ChoiceBox<EngineChoice> engine = new ChoiceBox<>(FXCollections.observableArrayList(EngineChoice.values()));
    final ChoiceBox<String> device = new ChoiceBox<>(FXCollections.observableArrayList("auto", "cpu", "cuda"));
    final ChoiceBox<String> precision =
            new ChoiceBox<>(FXCollections.observableArrayList("auto", "fp32", "fp16", "bf16"));
    final Label engineWhy = hint("");
    /** Why an option cannot be used (its checkpoint is missing), with a link to the Models tab. */
    final Label enhancerMissing = hint("");

    final Hyperlink enhancerGet = getIt("enhancer-get"), engineGet = getIt("engine-get");
    final TextField outputDir = new TextField();
    /** SadTalker's reference videos, head-angle keyframes and coefficient export (per session, not remembered). */
    final TextField refPose = new TextField(), refEyeblink = new TextField();

    final TextField yaw = new TextField(), pitch = new TextField(), roll = new TextField();
    final CheckBox saveCoeffs = new CheckBox();
    /** Why the reference/keyframe options are not used by the next render (empty when they are), or what is wrong. */
    final Label motionWhy = hint("");

    private final VBox motionBox = new VBox(4);
    /** Whether the engine the next render uses honours them (from the same selection the render makes). */
    private boolean motionAvailable;

    private final GridPane grid = new GridPane();
    private final AtomicInteger engineCheck = new AtomicInteger(), enhancerCheck = new AtomicInteger();
    /** GFPGAN as the user chose it while its checkpoint was missing: chosen again once it is there. */
    private boolean wantsGfpgan;

    private int row;
    private boolean loading;
    /** Held here so the model's weak listener lives exactly as long as this pane. */
    private final InvalidationListener engineInputs = o -> checkEngine(), enhancerInputs = o -> checkEnhancer();

    OptionsPane(StudioWindow w) {
        this.w = w;
        Label title = Controls.areaTitle(this, "options.title");
        setSpacing(6);

        grid.setHgap(8);
        grid.setVgap(2);
        ColumnConstraints c0 = new ColumnConstraints();
        c0.setMinWidth(Label.USE_PREF_SIZE);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHgrow(Priority.ALWAYS);
        c1.setFillWidth(true);
        grid.getColumnConstraints().addAll(c0, c1);

        poseStyle.setMajorTickUnit(5);
        poseStyle.setMinorTickCount(4);
        poseStyle.setSnapToTicks(true);
        poseStyle.setBlockIncrement(1);
        poseStyle.setShowTickMarks(true);
        poseStyle.setId("pose-style");
        poseValue.setMinWidth(28);
        poseValue.setId("pose-value");
        poseValue
                .textProperty()
                .bind(poseStyle.valueProperty().map(v -> Integer.toString((int) Math.round(v.doubleValue()))));
        HBox.setHgrow(poseStyle, Priority.ALWAYS);
        posePreview.setId("pose-preview");
        posePreview.setPrefSize(76, 60);
        posePreview.setMinSize(76, 60);
        posePreview.setMaxSize(76, 60);
        Tooltip.install(posePreview, new Tooltip(Messages.t("options.pose.preview")));
        HBox pose = new HBox(6, poseStyle, poseValue, posePreview);
        pose.setAlignment(Pos.CENTER_LEFT);
        add("options.pose", poseStyle, pose, hint(Messages.t("options.pose.hint")));

        preprocess.setConverter(names("options.preprocess."));
        preprocess.setId("preprocess");
        add("options.preprocess", preprocess, preprocess, preprocessHint);
        preprocess.valueProperty().addListener((o, a, b) -> {
            if (b != null) preprocessHint.setText(Messages.t("options.preprocess." + b.id() + ".hint"));
        });

        still.setText(Messages.t("options.still"));
        still.setId("still");
        add(null, null, still, hint(Messages.t("options.still.hint")));

        size.setId("size");
        add("options.size", size, size, hint(Messages.t("options.size.hint")));

        enhancer.setConverter(names("options.enhancer."));
        enhancer.setId("enhancer");
        enhancerMissing.setId("enhancer-missing");
        add(
                "options.enhancer",
                enhancer,
                enhancer,
                new VBox(hint(Messages.t("options.enhancer.hint")), unavailable(enhancerMissing, enhancerGet)));
        enhancerUpscale.setText(Messages.t("options.upscale"));
        enhancerUpscale.setId("enhancer-upscale");
        enhancerUpscale.disableProperty().bind(enhancer.valueProperty().isEqualTo(Enhancer.NONE));
        add(null, null, enhancerUpscale, hint(Messages.t("options.upscale.hint")));

        expressionScale.setEditable(true);
        expressionScale.setId("expression-scale");
        expressionScale.setPrefWidth(100);
        add("options.expression", expressionScale, expressionScale, hint(Messages.t("options.expression.hint")));

        blink.setText(Messages.t("options.blink"));
        blink.setId("blink");
        add(null, null, blink, hint(Messages.t("options.blink.hint")));

        batchSize.setEditable(true);
        batchSize.setId("batch-size");
        batchSize.setPrefWidth(100);
        add("options.batch", batchSize, batchSize, hint(Messages.t("options.batch.hint")));

        engine.setConverter(names("options.engine."));
        engine.setId("engine");
        engineWhy.setId("engine-why");
        add("options.engine", engine, engine, new VBox(engineWhy, unavailable(null, engineGet)));

        device.setConverter(texts("options.device."));
        device.setId("device");
        add("options.device", device, device, hint(Messages.t("options.device.hint")));
        precision.setConverter(texts("options.precision."));
        precision.setId("precision");
        add("options.precision", precision, precision, hint(Messages.t("options.precision.hint")));

        motionBox.setId("motion-options");
        addMotionOptions();
        TitledPane motion = new TitledPane(Messages.t("options.motion"), motionBox);
        motion.setId("motion-section");
        motion.setExpanded(false);
        motion.setAnimated(false);
        // its wrapping hints take the column's width rather than widening the column to their one-line length
        motion.setPrefWidth(1);
        motion.setMaxWidth(Double.MAX_VALUE);
        for (Node n : motionBox.getChildren()) if (n instanceof Region reg) reg.setMaxWidth(Double.MAX_VALUE);
        grid.add(motion, 0, row++, 2, 1);

        outputDir.setId("output-dir");
        outputDir.textProperty().addListener((o, a, b) -> commitOutputDir());
        outputDir.setOnAction(e -> commitOutputDir()); // Enter in the field confirms it; it does not press Render
        Button browse = Controls.browseButton(() -> {
            File d = Controls.chooseFolder(
                    getScene().getWindow(), "options.output.choose", new File(outputDir.getText()));
            if (d != null) outputDir.setText(d.getPath());
        });
        HBox.setHgrow(outputDir, Priority.ALWAYS);
        HBox out = new HBox(6, outputDir, browse);
        add("options.output", outputDir, out, hint(Messages.t("options.output.hint")));

        load(w.model.options.get());
        outputDir.setText(w.model.outputDir.get().toString());
        for (var p : List.of(
                poseStyle.valueProperty(),
                preprocess.valueProperty(),
                still.selectedProperty(),
                size.valueProperty(),
                enhancer.valueProperty(),
                enhancerUpscale.selectedProperty(),
                expressionScale.valueProperty(),
                blink.selectedProperty(),
                batchSize.valueProperty(),
                engine.valueProperty(),
                device.valueProperty(),
                precision.valueProperty(),
                refPose.textProperty(),
                refEyeblink.textProperty(),
                yaw.textProperty(),
                pitch.textProperty(),
                roll.textProperty(),
                saveCoeffs.selectedProperty())) {
            p.addListener((o, a, b) -> publish());
        }
        // The engine line follows everything the engine choice depends on, from the code the render uses.
        for (Observable p : List.of(w.model.options, w.model.checkpointDir, w.model.checkpointsChanged))
            p.addListener(new WeakInvalidationListener(engineInputs));
        for (Observable p : List.of(w.model.checkpointDir, w.model.checkpointsChanged))
            p.addListener(new WeakInvalidationListener(enhancerInputs));
        checkEngine();
        checkEnhancer();
        poseValue.textProperty().addListener((o, a, b) -> previewPose());
        still.selectedProperty().addListener((o, a, b) -> previewPose());
        previewPose();
        getChildren().addAll(title, grid);
    }

    /** Loops the chosen style's motion (and still mode) in the small preview beside the slider. */
    private void previewPose() {
        posePreview.show((int) Math.round(poseStyle.getValue()), still.isSelected(), w);
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE); // a short window scrolls the column rather than cutting hints
        return l;
    }

    /** A "Get it" link that opens the Models tab; shown only while its option is unavailable. */
    private Hyperlink getIt(String id) {
        Hyperlink h = new Hyperlink(Messages.t("options.getIt"));
        h.setId(id);
        h.setMnemonicParsing(false);
        h.setMinWidth(Region.USE_PREF_SIZE);
        h.setOnAction(e -> w.showModels());
        h.managedProperty().bind(h.visibleProperty());
        h.setVisible(false);
        return h;
    }

    /** The reason (if any) and the link on one line; the line takes no room while the link is hidden. */
    private static HBox unavailable(Label reason, Hyperlink link) {
        HBox box = reason == null ? new HBox(link) : new HBox(4, reason, link);
        box.setAlignment(Pos.CENTER_LEFT);
        if (reason != null) {
            reason.getStyleClass().add("unavailable");
            HBox.setHgrow(reason, Priority.ALWAYS);
            reason.setMaxWidth(Double.MAX_VALUE);
        }
        box.managedProperty().bind(link.visibleProperty());
        box.visibleProperty().bind(link.visibleProperty());
        return box;
    }

    /** One option: its label (with mnemonic) in the first column, the control and its hint in the second. */
    private void add(String labelKey, Node labelFor, Node control, Region hint) {
        if (labelKey != null) {
            Label l = new Label(Messages.t(labelKey));
            l.setMnemonicParsing(true);
            l.setLabelFor(labelFor);
            l.setMinWidth(Label.USE_PREF_SIZE);
            grid.add(l, 0, row);
        }
        grid.add(control, labelKey == null ? 0 : 1, row, labelKey == null ? 2 : 1, 1);
        grid.add(hint, 1, row + 1);
        hint.setMaxWidth(Double.MAX_VALUE);
        row += 2;
    }

    /** Bundle texts for plain string choices: {@code prefix + value}. */
    private static StringConverter<String> texts(String prefix) {
        return new StringConverter<>() {
            @Override
            public String toString(String v) {
                return v == null ? "" : Messages.t(prefix + v);
            }

            @Override
            public String fromString(String s) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static <E extends Enum<E>> StringConverter<E> names(String prefix) {
        return new StringConverter<>() {
            @Override
            public String toString(E e) {
                return e == null ? "" : Messages.t(prefix + e.name().toLowerCase());
            }

            @Override
            public E fromString(String s) {
                throw new UnsupportedOperationException();
            }
        };
    }

    void load(RenderOptions o) {
        loading = true;
        poseStyle.setValue(o.poseStyle());
        preprocess.setValue(o.preprocess());
        still.setSelected(o.still());
        size.setValue(o.size());
        enhancer.setValue(o.enhancer());
        enhancerUpscale.setSelected(o.enhancerUpscale() == 2);
        expressionScale.getValueFactory().setValue(Math.min(3, o.expressionScale()));
        blink.setSelected(o.blink());
        batchSize.getValueFactory().setValue(o.batchSize());
        engine.setValue(o.engine());
        device.setValue(
                o.compute().device().startsWith("cuda") ? "cuda" : o.compute().device());
        precision.setValue(o.compute().precision());
        refPose.setText(o.refPose() == null ? "" : o.refPose().toString());
        refEyeblink.setText(o.refEyeblink() == null ? "" : o.refEyeblink().toString());
        yaw.setText(anglesText(o.inputYaw()));
        pitch.setText(anglesText(o.inputPitch()));
        roll.setText(anglesText(o.inputRoll()));
        preprocessHint.setText(Messages.t("options.preprocess." + o.preprocess().id() + ".hint"));
        loading = false;
        publish();
    }

    /** The options as chosen now, for these inputs. */
    RenderOptions options(Path image, Path audio, Path output) {
        return RenderOptions.builder()
                .image(image)
                .audio(audio)
                .output(output)
                .poseStyle((int) Math.round(poseStyle.getValue()))
                .preprocess(preprocess.getValue())
                .still(still.isSelected())
                .size(size.getValue())
                .enhancer(enhancer.getValue())
                .enhancerUpscale(enhancerUpscale.isSelected() ? 2 : 1)
                .expressionScale(expressionScale.getValue())
                .blink(blink.isSelected())
                .batchSize(batchSize.getValue())
                .engine(engine.getValue())
                .compute(device.getValue(), precision.getValue())
                .checkpointDir(w.model.checkpointDir.get())
                .refPose(motionAvailable ? Controls.typedPathOrNull(refPose) : null)
                .refEyeblink(motionAvailable ? Controls.typedPathOrNull(refEyeblink) : null)
                .inputYaw(motionAvailable ? angles(yaw.getText()) : List.of())
                .inputPitch(motionAvailable ? angles(pitch.getText()) : List.of())
                .inputRoll(motionAvailable ? angles(roll.getText()) : List.of())
                .build();
    }

    /** Reference videos, head-angle keyframes and coefficient export: SadTalker's options, one row each. */
    private void addMotionOptions() {
        List<String> videos = List.of("*.mp4", "*.mov", "*.avi", "*.mkv", "*.webm");
        refPose.setId("ref-pose");
        refEyeblink.setId("ref-eyeblink");
        for (TextField f : List.of(refPose, refEyeblink)) {
            f.setPromptText(Messages.t("options.ref.prompt"));
            f.setPrefColumnCount(6);
        }
        motionBox.getChildren().add(fileRow("options.refPose", refPose, videos));
        motionBox.getChildren().add(fileRow("options.refEyeblink", refEyeblink, videos));
        yaw.setId("input-yaw");
        pitch.setId("input-pitch");
        roll.setId("input-roll");
        for (TextField f : List.of(yaw, pitch, roll)) {
            f.setPromptText(Messages.t("options.angles.prompt"));
            f.setPrefColumnCount(6);
        }
        motionBox.getChildren().add(labelled("options.yaw", yaw));
        motionBox.getChildren().add(labelled("options.pitch", pitch));
        motionBox.getChildren().add(labelled("options.roll", roll));
        saveCoeffs.setText(Messages.t("options.saveCoeffs"));
        saveCoeffs.setId("save-coeffs");
        saveCoeffs.setWrapText(true);
        saveCoeffs.setMinHeight(Region.USE_PREF_SIZE);
        saveCoeffs.setSelected(w.model.saveCoeffs.get());
        saveCoeffs.selectedProperty().addListener((o, a, b) -> w.model.saveCoeffs.set(b && motionAvailable));
        motionWhy.setId("motion-why");
        motionBox.getChildren().addAll(saveCoeffs, hint(Messages.t("options.motion.hint")), motionWhy);
        // Enter confirms the field; it does not press Render (a text field with an action keeps the key)
        for (TextField f : List.of(refPose, refEyeblink, yaw, pitch, roll)) f.setOnAction(e -> publish());
        for (Node n : motionBox.getChildren()) if (n != motionWhy) n.setDisable(true); // until the engine is known
    }

    private HBox labelled(String key, TextField field) {
        Label l = new Label(Messages.t(key));
        l.setMnemonicParsing(true);
        l.setLabelFor(field);
        l.setMinWidth(Label.USE_PREF_SIZE);
        HBox.setHgrow(field, Priority.ALWAYS);
        HBox box = new HBox(6, l, field);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private HBox fileRow(String key, TextField field, List<String> extensions) {
        HBox box = labelled(key, field);
        Button browse = Controls.browseButton(() -> {
            File f = Controls.chooseFile(
                    getScene().getWindow(),
                    Messages.t(key + ".choose"),
                    Messages.t("options.filter.videos"),
                    extensions,
                    Controls.typedPathOrNull(field));
            if (f != null) field.setText(f.getPath());
        });
        box.getChildren().add(browse);
        return box;
    }

    /** Keyframes as typed ("0, 15, -15" or "0 15 -15"); an empty field is none; a bad one is an input error. */
    static List<Double> angles(String text) {
        List<Double> out = new ArrayList<>();
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) return out;
        for (String part : s.split("[,;\\s，]+")) {
            if (part.isEmpty()) continue;
            double v;
            try {
                v = Double.parseDouble(part);
            } catch (NumberFormatException e) {
                throw new InputException(Messages.f("options.angles.bad", part));
            }
            if (!(v >= -90 && v <= 90)) throw new InputException(Messages.f("options.angles.range", part));
            out.add(v);
        }
        return out;
    }

    private static String anglesText(List<Double> angles) {
        return String.join(
                ", ",
                angles.stream()
                        .map(a -> a == Math.rint(a) ? Long.toString(Math.round(a)) : Double.toString(a))
                        .toList());
    }

    /** Enables the motion options when the next render's engine honours them, else says why they are unused. */
    private void showMotion(boolean available, String engineName) {
        motionAvailable = available;
        for (Node n : motionBox.getChildren()) if (n != motionWhy) n.setDisable(!available);
        if (!available) saveCoeffs.setSelected(false);
        w.model.saveCoeffs.set(available && saveCoeffs.isSelected());
        publish();
        if (!available) motionWhy.setText(Messages.f("options.motion.unavailable", engineName));
    }

    /** The widgets' values become the model's options (which the settings remember). */
    private void publish() {
        if (loading) return;
        try {
            RenderOptions o = options(null, null, null);
            w.model.optionsProblem.set(null);
            if (motionAvailable) motionWhy.setText("");
            motionWhy.getStyleClass().remove("unavailable");
            if (!o.equals(w.model.options.get())) w.model.options.set(o);
        } catch (StudioException e) {
            // a keyframe that is not a number: said under the fields, and Render waits until it is fixed
            w.model.optionsProblem.set(e.getMessage());
            motionWhy.setText(e.getMessage());
            if (!motionWhy.getStyleClass().contains("unavailable"))
                motionWhy.getStyleClass().add("unavailable");
        }
    }

    private void commitOutputDir() {
        String s = outputDir.getText().strip();
        if (s.isEmpty()) return;
        try {
            w.model.outputDir.set(Controls.typedPath(s));
        } catch (StudioException e) {
            // not a path yet (still typing): the last valid folder stays
        }
    }

    /** Shows which engine a render would use and why (selecting may read checkpoints: off the FX thread). */
    void checkEngine() {
        int ticket = engineCheck.incrementAndGet();
        RenderOptions o = w.model.optionsFor(null, null, null);
        engineWhy.setText(Messages.t("options.engine.checking"));
        w.background(() -> {
            String text;
            boolean missing;
            boolean motion = false;
            String engineName = "";
            try (TalkingHeadEngine e = Engines.select(o)) {
                motion = e.capabilities()
                        .containsAll(EnumSet.of(
                                Capability.REFERENCE_VIDEOS,
                                Capability.HEAD_ANGLE_KEYFRAMES,
                                Capability.COEFFICIENT_EXPORT));
                // Engine ids map to bundle strings; an engine the bundles do not know shows its own description.
                String name =
                        Messages.has("options.engine." + e.id()) ? Messages.t("options.engine." + e.id()) : e.id();
                String what = Messages.has("engine.why." + e.id()) ? Messages.t("engine.why." + e.id()) : e.describe();
                String why = switch (o.engine()) {
                    case AUTO ->
                        Messages.t(
                                e.id().equals("builtin")
                                        ? "options.engine.reason.missing"
                                        : "options.engine.reason.found");
                    default -> Messages.t("options.engine.reason.chosen");
                };
                engineName = name;
                text = Messages.f("options.engine.uses", name, what, why);
                missing = false;
                // the device only matters, and libtorch is only loaded to find it, when a network will run
                if (Engines.runsNetworks(o))
                    try {
                        text += Messages.f(
                                "options.device.uses", o.compute().resolve().describe());
                    } catch (Compute.Unavailable u) {
                        text += "\n"
                                + Messages.t("options.device.unavailable."
                                        + u.reason().name().toLowerCase(Locale.ROOT));
                    }
            } catch (RuntimeException ex) {
                text = Messages.f("options.engine.unavailable", UiText.of(ex.getMessage()));
                missing = true;
            }
            String t = text;
            boolean unavailable = missing, canMotion = motion;
            String usedEngine = engineName;
            Platform.runLater(() -> {
                if (engineCheck.get() != ticket) return;
                engineWhy.setText(t);
                engineGet.setVisible(unavailable);
                if (canMotion != motionAvailable
                        || (!canMotion && motionWhy.getText().isEmpty())) showMotion(canMotion, usedEngine);
            });
        });
    }

    /** Whether GFPGAN's checkpoint is where the render looks for it (off the FX thread, the same lookup). */
    void checkEnhancer() {
        int ticket = enhancerCheck.incrementAndGet();
        Path dir = w.model.checkpointDir.get();
        w.background(() -> {
            String missing;
            try {
                FaceRestorer.locate(dir);
                missing = null;
            } catch (StudioException e) {
                missing = gfpganMissing();
            }
            String m = missing;
            Platform.runLater(() -> {
                if (enhancerCheck.get() == ticket) showEnhancer(m == null);
                if (m != null && enhancerCheck.get() == ticket) enhancerMissing.setText(m);
            });
        });
    }

    /** The plain-words reason GFPGAN cannot be chosen: its checkpoint is not in the checkpoint folder. */
    static String gfpganMissing() {
        String file;
        try {
            file = Checkpoint.GFPGAN.file();
        } catch (StudioException e) {
            file = "GFPGAN";
        }
        return Messages.f("options.enhancer.missing", file);
    }

    /** Enables the enhancer box, or disables it (None) with the reason and the "Get it" link. */
    private void showEnhancer(boolean available) {
        enhancer.setDisable(!available);
        enhancerGet.setVisible(!available);
        if (!available && enhancer.getValue() == Enhancer.GFPGAN) {
            wantsGfpgan = true;
            enhancer.setValue(Enhancer.NONE);
        } else if (available && wantsGfpgan) {
            wantsGfpgan = false;
            enhancer.setValue(Enhancer.GFPGAN);
        }
    }
}
