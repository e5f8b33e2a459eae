package studio.enhance;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioLoader;
import studio.bench.MemoryBench;
import studio.cli.StudioCli;
import studio.golden.Golden;
import studio.testing.Mp4Probe;
import studio.weights.ProceduralWeights;
import studio.weights.SafeTensorsWriter;
import studio.weights.WeightSchema;

/**
 * {@code --enhancer gfpgan} through the CLI with a full-size GFPGAN v1.4 of procedural weights under
 * the released file name: every frame goes through the restorer, and the video is twice the size
 * (SadTalker's enhancer) unless {@code --enhancer-upscale 1}.
 */
class EnhancerCliTest {
    @TempDir
    Path dir;

    @Test
    void gfpganDoublesTheVideoAsSadTalkerDoes() throws Exception {
        Path schema = Golden.require("gfpgan/schema.json");
        Path ckpt = Files.createDirectory(dir.resolve("checkpoints"));
        ProceduralWeights weights =
                new ProceduralWeights("", WeightSchema.read(schema, "gfpgan_v14 (inside params_ema)"));
        SafeTensorsWriter w = new SafeTensorsWriter();
        for (String k : weights.keys())
            w.put(k, weights.floats(k), weights.info(k).shape());
        w.write(ckpt.resolve("GFPGANv1.4.pth")); // read by content, as a converted checkpoint would be

        Path audio = dir.resolve("short.wav");
        MemoryBench.writeLooped(Path.of("samples/speech.wav"), 0.24, audio); // 6 frames
        int frames = AudioLoader.decode(audio, 16000, 1).length / 640;
        for (int upscale : new int[] {2, 1}) {
            Path out = dir.resolve("enhanced-" + upscale + ".mp4");
            int code = StudioCli.execute(
                    "render",
                    "-q",
                    "-i",
                    "samples/astronaut.png",
                    "-a",
                    audio.toString(),
                    "-o",
                    out.toString(),
                    "--engine",
                    "builtin",
                    "--checkpoint-dir",
                    ckpt.toString(),
                    "--enhancer",
                    "gfpgan",
                    "--enhancer-upscale",
                    Integer.toString(upscale),
                    "--batch-size",
                    "3");
            assertEquals(0, code);
            Mp4Probe p = Mp4Probe.read(out);
            assertEquals(frames, p.videoFrames());
            assertEquals(256 * upscale, p.width());
            assertEquals(256 * upscale, p.height());
        }
    }
}
