package studio.render.neural;

import org.junit.jupiter.api.Test;

/**
 * The face renderer at 512 (the released SadTalker_V0.0.2_512 architecture, same keys as 256):
 * facerender.yaml and facerender_still.yaml, two frames each plus the yaw override, as one batch.
 */
class Facerender512GoldenTest {
    @Test
    void reproducesReferenceCropRendererAt512() {
        FacerenderGoldenCase.check("facerender_crop_512.safetensors", "crop", false, 2);
    }

    @Test
    void reproducesReferenceFullRendererAt512() {
        FacerenderGoldenCase.check("facerender_full_512.safetensors", "full", true, 2);
    }
}
