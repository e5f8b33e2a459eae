package studio.face;

import ai.djl.ndarray.NDManager;
import java.util.List;

/** A face-api face detector: faces (without landmarks) in pixels of {@code img}, in NMS order. */
interface FaceDetector {
    List<Face> detect(RgbImage img, NDManager scope);
}
