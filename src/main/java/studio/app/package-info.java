/**
 * The desktop studio (JavaFX): inputs, options, render queue, player, models tab.
 *
 * <p>May use: the pipeline, the stages and {@code job}; never {@code cli}.
 */
package studio.app;
