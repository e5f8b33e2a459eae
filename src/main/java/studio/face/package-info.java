/**
 * The second stage: loading the portrait, face detection and 68 landmarks (face-api.js networks), SadTalker's crop modes ({@link studio.face.Preprocess}) and paste-back.
 *
 * <p>May use: {@code studio.job}, {@code studio.weights}, {@code studio.nn}, {@code studio.audio}, OpenCV (JavaCV), the JDK.
 */
package studio.face;
