package studio.app;

import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import studio.job.Cancellation;
import studio.job.Progress;
import studio.job.Stage;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderResult;

/** One render in the queue. Its properties change on the FX thread only. */
public final class RenderJob {
    public enum Status {
        QUEUED,
        RUNNING,
        DONE,
        FAILED,
        CANCELLED;

        public boolean finished() {
            return this == DONE || this == FAILED || this == CANCELLED;
        }
    }

    private final int number;
    private final RenderOptions options;
    private final Cancellation cancellation = new Cancellation();
    final ObjectProperty<Status> status = new SimpleObjectProperty<>(Status.QUEUED);
    final ObservableMap<Stage, Progress> progress = FXCollections.observableHashMap();
    final ObjectProperty<RenderResult> result = new SimpleObjectProperty<>();
    final ObjectProperty<String> error = new SimpleObjectProperty<>();
    /** What the job warned about (several faces, a dark photo...), in order; changed on the FX thread. */
    final ObservableList<String> warnings = FXCollections.observableArrayList();

    RenderJob(int number, RenderOptions options) {
        this.number = number;
        this.options = options;
    }

    public int number() {
        return number;
    }

    public RenderOptions options() {
        return options;
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status;
    }

    public Status status() {
        return status.get();
    }

    /** Latest report of each stage that has started. */
    public ObservableMap<Stage, Progress> progress() {
        return progress;
    }

    public ReadOnlyObjectProperty<RenderResult> resultProperty() {
        return result;
    }

    /** The plain-words reason a job failed, or null. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public String error() {
        return error.get();
    }

    /** Stops the job at its next frame (or skips it when still waiting). */
    public void cancel() {
        cancellation.cancel();
    }

    Cancellation cancellation() {
        return cancellation;
    }

    public String title() {
        return options.image().getFileName() + " + " + options.audio().getFileName();
    }
}
