package studio.render.builtin;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import studio.audio.AudioFeatures;
import studio.motion.LandmarkMotion;
import studio.motion.LandmarkMotionPlanner;
import studio.motion.SpokenSamples;
import studio.pipeline.RenderOptions;

/** Scratch: renders the astronaut speaking into /tmp/anim/frames. */
public class DevRender {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of("/tmp/anim/frames");
        Files.createDirectories(dir);
        AudioFeatures audio = SpokenSamples.features(SpokenSamples.speakWithPause(Path.of("/tmp/anim"), SpokenSamples.SENTENCES, 1.5, "Good bye."));
        RenderOptions o = RenderOptions.defaults(null, null, null);
        o = new RenderOptions(null, null, null, Integer.parseInt(args[0]), o.preprocess(), false, 256, o.enhancer(), 1, 1, true, 2, o.engine(), null, null, null, null, null, null, null);
        LandmarkMotion[] m = LandmarkMotionPlanner.plan(audio, o);
        try (FaceAnimator a = new FaceAnimator(BuiltinFixtures.astronaut(), BuiltinFixtures.astronautLandmarks())) {
            long t = System.nanoTime();
            for (int i = 0; i < m.length; i++) {
                BufferedImage f = a.frame(m[i]);
                ImageIO.write(f, "png", dir.resolve(String.format("f%04d.png", i)).toFile());
            }
            System.out.println(m.length + " frames, mesh " + a.mesh().size() + " triangles, " + (System.nanoTime() - t) / 1e6 + " ms");
        }
    }
}
