package studio.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import studio.golden.Golden;
import studio.weights.SafeTensors;

/** The audio front end against SadTalker's reference mel spectrogram and per-frame windows. */
class MelGoldenTest {
    @Test
    void melAndPerFrameWindowsMatchReference() {
        try (SafeTensors g = Golden.open("sadtalker/mel.safetensors")) {
            float[] wav = g.floats("in.wav");
            AudioFeatures f = AudioFeatures.of(wav);
            int frames = Integer.parseInt(g.metadata().get("num_frames"));
            assertEquals(frames, f.numFrames());
            assertEquals(g.info("out.mel").shape()[0], f.melFrames());
            Golden.assertClose("mel", g.floats("out.mel"), f.mel());
            float[] ref = g.floats("out.indiv_mels");
            float[] all = new float[ref.length];
            int w = AudioFeatures.MEL_BINS * AudioFeatures.MEL_WINDOW;
            for (int i = 0; i < frames; i++) System.arraycopy(f.melWindow(i), 0, all, i * w, w);
            Golden.assertClose("indiv_mels", ref, all);
        }
    }
}
