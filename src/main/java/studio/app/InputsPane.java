package studio.app;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.WeakInvalidationListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import studio.job.StudioException;
import studio.pipeline.RenderOptions;

/** Inputs area: the portrait (with the face overlay) and the voice clip (waveform, duration, listen). */
final class InputsPane extends VBox {
    static final List<String> IMAGE_EXT = List.of("*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.webp");
    static final List<String> AUDIO_EXT = List.of("*.wav", "*.mp3", "*.m4a", "*.aac", "*.ogg", "*.flac", "*.opus");
    private final StudioWindow w;
    final TextField portraitField = new TextField();
    final TextField audioField = new TextField();
    final PortraitView portrait = new PortraitView();
    final WaveformView waveform = new WaveformView();
    final Label faceStatus = new Label();
    final Label duration = new Label();
    final Label noSound = new Label();
    final Button listen = new Button();
    final VBox portraitArea, audioArea;
    /** Held here so the model's weak listeners live exactly as long as this pane (a language switch replaces it). */
    /** The paths last written into the fields: a field changes only when its input does (not while typing). */
    private Path shownPortraitPath, shownAudioPath;

    private final InvalidationListener showPortrait = o -> showPortrait(), showAudio = o -> showAudio();

    InputsPane(StudioWindow w) {
        this.w = w;
        Label title = Controls.areaTitle(this, "inputs.title");
        setSpacing(6);

        Button browsePortrait = Controls.browseButton(this::choosePortrait);
        browsePortrait.setId("browse-portrait");
        portraitField.setId("portrait-field");
        portraitField.setPromptText(Messages.t("inputs.portrait.prompt"));
        portraitField.setOnAction(e -> loadTyped(portraitField, w::loadPortrait, "error.portrait"));
        portrait.setId("portrait-view");
        portrait.setPrefSize(340, 300);
        portrait.setMinSize(200, 160);
        VBox.setVgrow(portrait, Priority.ALWAYS);
        faceStatus.setWrapText(true);
        faceStatus.setId("face-status");
        faceStatus.getStyleClass().add("hint");
        Button generatePortrait = new Button(Messages.t("inputs.generate"));
        generatePortrait.setId("generate-portrait");
        generatePortrait.setMnemonicParsing(false);
        generatePortrait.setMinWidth(Button.USE_PREF_SIZE);
        generatePortrait.setOnAction(e -> w.generatePortrait());
        HBox statusRow = new HBox(6, faceStatus, generatePortrait);
        statusRow.setAlignment(Pos.TOP_LEFT);
        HBox.setHgrow(faceStatus, Priority.ALWAYS);
        faceStatus.setMaxWidth(Double.MAX_VALUE);
        portraitArea =
                new VBox(4, row(Messages.t("inputs.portrait"), portraitField, browsePortrait), portrait, statusRow);
        portraitArea.setId("portrait-area");
        VBox.setVgrow(portraitArea, Priority.ALWAYS);
        dropTarget(portraitArea, w::loadPortrait);

        Button browseAudio = Controls.browseButton(this::chooseAudio);
        browseAudio.setId("browse-audio");
        audioField.setId("audio-field");
        audioField.setPromptText(Messages.t("inputs.audio.prompt"));
        audioField.setOnAction(e -> loadTyped(audioField, w::loadAudio, "error.audio"));
        waveform.setId("waveform");
        waveform.setPrefSize(340, 70);
        waveform.setMinHeight(50);
        duration.setId("audio-duration");
        listen.setId("listen");
        listen.setText(Messages.t("inputs.listen"));
        listen.setDisable(true);
        listen.setOnAction(e -> {
            // said beside the duration, which stays
            noSound.setText(w.toggleListen() ? "" : Messages.t("inputs.noSound"));
        });
        noSound.setId("no-sound");
        noSound.getStyleClass().add("unavailable");
        noSound.setWrapText(true);
        noSound.managedProperty().bind(noSound.textProperty().isNotEmpty());
        HBox audioBar = new HBox(8, listen, duration, noSound);
        audioBar.setAlignment(Pos.CENTER_LEFT);
        audioArea = new VBox(4, row(Messages.t("inputs.audio"), audioField, browseAudio), waveform, audioBar);
        audioArea.setId("audio-area");
        dropTarget(audioArea, w::loadAudio);

        getChildren().addAll(title, portraitArea, audioArea);

        StudioModel m = w.model;
        for (Observable p : List.of(m.portraitPath, m.portraitImage, m.analysis, m.portraitLoading, m.options))
            p.addListener(new WeakInvalidationListener(showPortrait));
        for (Observable p : List.of(m.audioPath, m.audio, m.audioLoading, m.audioPlaying))
            p.addListener(new WeakInvalidationListener(showAudio));
        showPortrait();
        showAudio();
    }

    /** The portrait, its face and the crop of the chosen mode, as the model has them now. */
    private void showPortrait() {
        StudioModel m = w.model;
        if (!Objects.equals(m.portraitPath.get(), shownPortraitPath)) {
            shownPortraitPath = m.portraitPath.get();
            portraitField.setText(shownPortraitPath == null ? "" : shownPortraitPath.toString());
        }
        portrait.setImage(m.portraitImage.get());
        PortraitAnalysis.Result analysis = m.analysis.get();
        if (m.portraitLoading.get()) {
            faceStatus.setText(Messages.t("inputs.loading"));
        } else if (m.portraitImage.get() == null) {
            faceStatus.setText(Messages.t("inputs.portrait.none"));
            portrait.setOverlay(null, null);
        } else if (analysis == null) {
            faceStatus.setText(Messages.t("inputs.face.detecting"));
        } else if (analysis.face() == null) {
            faceStatus.setText(Messages.f("inputs.face.none", analysis.problem()));
            portrait.setOverlay(null, null);
        } else {
            RenderOptions o = m.options.get();
            var crop = analysis.crop(o.preprocess(), o.size());
            boolean whole = o.preprocess().pastesBack();
            faceStatus.setText(Messages.f(
                    crop == null ? "inputs.face.found" : whole ? "inputs.face.foundFull" : "inputs.face.foundCrop",
                    Math.round(analysis.face().score() * 100),
                    Messages.t("options.preprocess." + o.preprocess().id())));
            portrait.setOverlay(analysis.face(), crop, whole);
        }
    }

    /** The clip's waveform, duration and Listen button, as the model has them now. */
    private void showAudio() {
        StudioModel m = w.model;
        AudioClip clip = m.audio.get();
        if (!Objects.equals(m.audioPath.get(), shownAudioPath)) {
            shownAudioPath = m.audioPath.get();
            audioField.setText(shownAudioPath == null ? "" : shownAudioPath.toString());
        }
        waveform.setAudio(clip);
        listen.setDisable(clip == null);
        listen.setText(Messages.t(m.audioPlaying.get() ? "inputs.stop" : "inputs.listen"));
        duration.setText(
                m.audioLoading.get()
                        ? Messages.t("inputs.loading")
                        : clip == null
                                ? Messages.t("inputs.audio.none")
                                : Messages.f("inputs.audio.duration", String.format("%.1f", clip.seconds()), (int)
                                        Math.floor(clip.seconds() * 25)));
    }

    private static HBox row(String label, TextField field, Button browse) {
        Label l = new Label(label);
        l.setMnemonicParsing(true);
        l.setLabelFor(field);
        l.setMinWidth(Label.USE_PREF_SIZE);
        HBox.setHgrow(field, Priority.ALWAYS);
        HBox box = new HBox(6, l, field, browse);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    void choosePortrait() {
        choose(
                Messages.t("inputs.portrait.choose"),
                "portrait",
                IMAGE_EXT,
                Messages.t("inputs.filter.images"),
                w::loadPortrait);
    }

    void chooseAudio() {
        choose(Messages.t("inputs.audio.choose"), "audio", AUDIO_EXT, Messages.t("inputs.filter.audio"), w::loadAudio);
    }

    private void loadTyped(TextField field, Consumer<Path> load, String errorKey) {
        Path p;
        try {
            p = Controls.typedPath(field.getText());
        } catch (StudioException e) {
            Dialogs.error(getScene().getWindow(), Messages.t(errorKey), e.getMessage());
            return;
        }
        if (p != null) load.accept(p);
    }

    private void choose(String title, String kind, List<String> ext, String filterName, Consumer<Path> load) {
        List<Path> recent = w.settings.recent(kind);
        File f = Controls.chooseFile(
                getScene().getWindow(), title, filterName, ext, recent.isEmpty() ? null : recent.getFirst());
        if (f != null) load.accept(f.toPath());
    }

    /** Files dropped on {@code node} are loaded (the first one). */
    static void dropTarget(Node node, Consumer<Path> load) {
        node.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) e.acceptTransferModes(TransferMode.COPY);
            e.consume();
        });
        node.setOnDragEntered(e -> {
            if (e.getDragboard().hasFiles()) node.getStyleClass().add("drop-hover");
        });
        node.setOnDragExited(e -> node.getStyleClass().remove("drop-hover"));
        node.setOnDragDropped((DragEvent e) -> {
            boolean ok =
                    e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
            if (ok) load.accept(e.getDragboard().getFiles().getFirst().toPath());
            e.setDropCompleted(ok);
            e.consume();
        });
    }
}
