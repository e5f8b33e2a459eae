/**
 * The command line ({@code studio render|info|models|portrait|bench|app}): picocli commands that parse options and call the pipeline, the stages' entry points, the benchmarks or the app.
 *
 * <p>May use: everything below it.
 */
package studio.cli;
