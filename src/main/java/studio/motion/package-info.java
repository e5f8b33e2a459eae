/**
 * The third stage: motion from audio. SadTalker's networks (net_recon 3DMM coefficients, audio2exp, the pose CVAE, reference videos) and the built-in engine's rule-based planner ({@link studio.motion.LandmarkMotionPlanner}), each with its own options record.
 *
 * <p>May use: the stages below it ({@code audio}, {@code face}) and {@code job}, {@code weights}, {@code nn}.
 */
package studio.motion;
