package studio.job;

/** Thrown inside a job when the user cancelled it; the job cleans up and leaves no output. */
public class CancelledException extends RuntimeException {
    public CancelledException() {
        super("cancelled");
    }
}
