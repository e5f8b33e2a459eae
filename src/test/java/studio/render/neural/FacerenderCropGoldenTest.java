package studio.render.neural;

import org.junit.jupiter.api.Test;

/** facerender.yaml (crop / resize modes, 70 coefficients): both frames rendered in one batch of 2. */
class FacerenderCropGoldenTest {
    @Test
    void reproducesReferenceCropRenderer() {
        FacerenderGoldenCase.check("facerender_crop.safetensors", "crop", false, 2);
    }
}
