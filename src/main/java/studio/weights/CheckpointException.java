package studio.weights;

import studio.job.StudioException;

/** A checkpoint that cannot be used: the message names the file and, where known, the tensor. */
public class CheckpointException extends StudioException {
    public CheckpointException(String file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
