package studio.job;

/**
 * What every stage of one job shares: where progress goes, whether the user cancelled, and where
 * loaded networks come from ({@link ModelPool#FRESH} unless a batch worker keeps them across jobs).
 */
public record JobContext(ProgressListener listener, Cancellation cancellation, ModelPool models) {
    public JobContext(ProgressListener listener, Cancellation cancellation) {
        this(listener, cancellation, ModelPool.FRESH);
    }

    public StageProgress stage(Stage stage, long total) {
        return new StageProgress(stage, total, listener, cancellation);
    }

    /** Tells the user something that does not stop the job. */
    public void warn(String message) {
        listener.onWarning(message);
    }

    public static JobContext quiet() {
        return new JobContext(ProgressListener.NONE, new Cancellation());
    }
}
