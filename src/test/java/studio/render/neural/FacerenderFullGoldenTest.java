package studio.render.neural;

import org.junit.jupiter.api.Test;

/** facerender_still.yaml (full / extfull modes, 73 coefficients): frames rendered one at a time. */
class FacerenderFullGoldenTest {
    @Test
    void reproducesReferenceFullRenderer() {
        FacerenderGoldenCase.check("facerender_full.safetensors", "full", true, 1);
    }
}
