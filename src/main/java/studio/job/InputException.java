package studio.job;

import java.nio.file.Path;

/** Bad user input: the message names the file and the problem. */
public class InputException extends StudioException {
    public InputException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public InputException(String message) {
        super(message);
    }
}
