/**
 * The orchestrator: {@link studio.pipeline.RenderPipeline} runs audio → face → motion → render → enhance → video for one {@link studio.pipeline.RenderOptions}, and {@link studio.pipeline.Engines} picks the engine. The CLI, the app and batch jobs all call it.
 *
 * <p>May use: every stage package and {@code studio.job}; never {@code bench}, {@code app} or {@code cli}.
 */
package studio.pipeline;
