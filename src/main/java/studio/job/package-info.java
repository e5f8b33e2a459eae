/**
 * The job types every stage shares: user-facing errors ({@link studio.job.StudioException}, {@link studio.job.InputException}), progress per stage, cancellation, the {@link studio.job.JobContext} a job carries, the {@link studio.job.FrameSink} frames stream into, and {@link studio.job.OutputFile}, the one way a job writes a file (refusing inputs, links and devices; temporary file moved into place).
 *
 * <p>May use: the JDK only.
 */
package studio.job;
