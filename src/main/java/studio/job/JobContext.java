package studio.job;

/** What every stage of one job shares: where progress goes and whether the user cancelled. */
public record JobContext(ProgressListener listener, Cancellation cancellation) {
    public StageProgress stage(Stage stage, long total) {
        return new StageProgress(stage, total, listener, cancellation);
    }

    public static JobContext quiet() {
        return new JobContext(ProgressListener.NONE, new Cancellation());
    }
}
