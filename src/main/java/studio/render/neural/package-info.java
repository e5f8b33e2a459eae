/**
 * SadTalker's neural engine: the face renderer (mapping net, keypoint detector, dense motion, SPADE generator) on the released checkpoints.
 *
 * <p>May use: what {@code studio.render} may use, and {@code studio.render}.
 */
package studio.render.neural;
