/**
 * Batch rendering ({@code studio batch}): a file of jobs rendered on Apache Spark, on this PC
 * ({@code local[*]}) or a cluster's executors, each job through {@link studio.pipeline.RenderPipeline}.
 * Spark is touched only by {@link studio.batch.SparkBatch}, which {@link studio.batch.BatchCommand}
 * reaches only when the command runs, so {@code render} and {@code app} never load it.
 *
 * <p>May use: {@code studio.pipeline} and every package below it; never {@code bench}, {@code app} or {@code cli}.
 */
package studio.batch;
