package studio.job;

/**
 * A problem the user can fix (bad input, missing or corrupt file). Its message is shown as is, in
 * plain words and naming the file; the CLI exits with code 2 and the UI shows a dialog.
 */
public class StudioException extends RuntimeException {
    public StudioException(String message) {
        super(message);
    }

    public StudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
