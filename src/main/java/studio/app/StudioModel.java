package studio.app;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.image.Image;
import studio.pipeline.RenderOptions;

/**
 * The studio's state in one observable place: the inputs, the options as chosen, the checkpoint
 * and output folders, and the selected job. Panes bind to it and change it; none writes into
 * another pane's widgets. It outlives a language switch, which rebuilds the panes from it.
 * FX-thread only.
 */
final class StudioModel {
    /** The portrait file shown, its pixels and picture once read (null while none or while loading). */
    final ObjectProperty<Path> portraitPath = new SimpleObjectProperty<>();

    final ObjectProperty<BufferedImage> portraitPixels = new SimpleObjectProperty<>();
    final ObjectProperty<Image> portraitImage = new SimpleObjectProperty<>();
    /** Face detection on the portrait: null while it runs. */
    final ObjectProperty<PortraitAnalysis.Result> analysis = new SimpleObjectProperty<>();

    final BooleanProperty portraitLoading = new SimpleBooleanProperty();

    /** The voice clip file and its decoded samples (null while none or while loading). */
    final ObjectProperty<Path> audioPath = new SimpleObjectProperty<>();

    final ObjectProperty<AudioClip> audio = new SimpleObjectProperty<>();
    final BooleanProperty audioLoading = new SimpleBooleanProperty();
    final BooleanProperty audioPlaying = new SimpleBooleanProperty();

    /** The render options as chosen in the options pane (no files: those come with each render). */
    final ObjectProperty<RenderOptions> options = new SimpleObjectProperty<>();
    /** What is wrong with the options as typed (a keyframe that is not a number); null when nothing. */
    final StringProperty optionsProblem = new SimpleStringProperty();

    /** Write each render's motion coefficients beside its video ({@code NAME.coeffs.safetensors}). */
    final BooleanProperty saveCoeffs = new SimpleBooleanProperty();

    /** Where model files are looked for (Models tab), and where renders go. */
    final ObjectProperty<Path> checkpointDir = new SimpleObjectProperty<>();

    final ObjectProperty<Path> outputDir = new SimpleObjectProperty<>();

    /** Bumped when checkpoint files appeared or changed (a download finished): what depends on them checks again. */
    final IntegerProperty checkpointsChanged = new SimpleIntegerProperty();

    /** The queue row the user selected (or the job that just finished): the player and Export follow it. */
    final ObjectProperty<RenderJob> selectedJob = new SimpleObjectProperty<>();

    StudioModel(Settings settings) {
        checkpointDir.set(settings.checkpointDir());
        outputDir.set(settings.outputDir());
        options.set(settings.options(null, null, null));
    }

    /** The chosen options for these files. */
    RenderOptions optionsFor(Path image, Path audioFile, Path output) {
        return options.get().toBuilder()
                .image(image)
                .audio(audioFile)
                .output(output)
                .checkpointDir(checkpointDir.get())
                .saveCoeffs(saveCoeffs.get() && output != null ? coefficientsFile(output) : null)
                .build();
    }

    /** talk.mp4 → talk.coeffs.safetensors, beside it. */
    static Path coefficientsFile(Path video) {
        String name = video.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return video.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".coeffs.safetensors");
    }
}
