package studio.render.builtin;

import java.awt.image.BufferedImage;
import studio.motion.LandmarkMotion;

/** Animates one picture of a face: rig, mesh and warper together. Not thread-safe: one per render. */
public final class FaceAnimator implements AutoCloseable {
    private final FaceRig rig;
    private final FaceMesh mesh;
    private final MeshWarper warper;
    private final double[] source;

    /**
     * @param picture   TYPE_3BYTE_BGR picture to animate
     * @param landmarks its face's 68 landmarks in its pixel coordinates
     */
    public FaceAnimator(BufferedImage picture, double[] landmarks) {
        rig = new FaceRig(landmarks, picture.getWidth(), picture.getHeight());
        mesh = new FaceMesh(rig);
        warper = new MeshWarper(picture, rig, mesh);
        source = rig.sourcePoints();
    }

    public FaceRig rig() {
        return rig;
    }

    public FaceMesh mesh() {
        return mesh;
    }

    /** The picture with the face moved by {@code motion}; a new image each call. */
    public BufferedImage frame(LandmarkMotion motion) {
        return warper.render(source, rig.targetPoints(motion), motion.blink());
    }

    @Override
    public void close() {
        warper.close();
    }
}
