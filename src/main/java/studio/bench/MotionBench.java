package studio.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import studio.audio.AudioFeatures;
import studio.job.InputException;
import studio.motion.CoefficientGenerator;
import studio.motion.MotionOptions;
import studio.weights.Checkpoints;
import studio.weights.ProceduralWeights;
import studio.weights.StateDict;
import studio.weights.WeightSchema;

/**
 * Times audio → coefficients for a 60 s clip (1500 frames) and net_recon for one face. The weights
 * are the released SadTalker checkpoint in the checkpoint folder, or full-size procedural ones from a
 * golden schema ({@code --schema}); the audio is a synthetic mel spectrogram (the networks' cost
 * does not depend on the sound).
 */
@Command(
        name = "motion",
        mixinStandardHelpOptions = true,
        description = "Audio -> coefficients (SadTalker audio2exp and pose) for a clip, and net_recon for one face.")
public final class MotionBench implements Callable<Integer> {
    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "Clip length in seconds (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Mixin
    BenchWeights weights;

    @Override
    public Integer call() {
        if (!(seconds > 0 && seconds <= 3600))
            throw new InputException("clip length must be 0..3600 s, not " + seconds);
        long t0 = System.nanoTime();
        StateDict dict;
        if (weights.procedural()) dict = procedural(weights.schema());
        else {
            Path file = weights.checkpointDir().resolve(CoefficientGenerator.checkpointName(256));
            if (!Files.isRegularFile(file))
                throw weights.missing(file.getFileName().toString());
            dict = Checkpoints.open(file);
        }
        int frames = (int) Math.round(seconds * AudioFeatures.FPS);
        Random r = new Random(1);
        int melFrames = frames * 640 / 200 + 1;
        float[] mel = new float[melFrames * 80];
        for (int i = 0; i < mel.length; i++) mel[i] = (float) (r.nextDouble() * 8 - 4);
        AudioFeatures audio = new AudioFeatures(new float[frames * 640], frames, mel, melFrames);
        float[] source = new float[257];
        for (int i = 0; i < source.length; i++) source[i] = (float) (r.nextGaussian() * 0.1);

        try (CoefficientGenerator gen = CoefficientGenerator.fromStateDict(dict)) {
            double load = (System.nanoTime() - t0) / 1e9;
            float[] face = new float[3 * 224 * 224];
            for (int i = 0; i < face.length; i++) face[i] = r.nextFloat();
            // warm-up (first calls initialise libtorch kernels)
            gen.generate(
                    new AudioFeatures(new float[50 * 640], 50, mel, 50 * 640 / 200 + 1),
                    source,
                    MotionOptions.defaults());
            timeNetRecon(gen, face);
            int runs = 3;
            double best = Double.MAX_VALUE, sum = 0, cpuBest = Double.MAX_VALUE;
            for (int i = 0; i < runs; i++) {
                long s = System.nanoTime(), c = processCpuNanos();
                gen.generate(audio, source, MotionOptions.defaults().withSeed(i));
                double t = (System.nanoTime() - s) / 1e9;
                cpuBest = Math.min(cpuBest, (processCpuNanos() - c) / 1e9);
                best = Math.min(best, t);
                sum += t;
            }
            double recon = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) recon = Math.min(recon, timeNetRecon(gen, face));
            System.out.printf(
                    "%nMotion stage benchmark (%d CPU cores, %s, weights: %s)%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), dict.source());
            System.out.println("| step | clip | wall time (best of 3) | mean | CPU time (all threads) | x real time |");
            System.out.println("| --- | --- | --- | --- | --- | --- |");
            System.out.printf(
                    "| audio -> coefficients (audio2exp + audio2pose + smoothing) | %.0f s, %d frames | %.2f s | %.2f s | %.2f s | %.1f |%n",
                    seconds, frames, best, sum / runs, cpuBest, seconds / best);
            System.out.printf("| net_recon (ResNet-50, one 224x224 face) | 1 image | %.3f s | | | |%n", recon);
            System.out.printf("| load + check weights | | %.1f s | | | |%n", load);
        }
        return 0;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** Seconds net_recon takes on an already aligned face. */
    private static double timeNetRecon(CoefficientGenerator gen, float[] face) {
        long s = System.nanoTime();
        gen.netRecon().coefficients(face, 1);
        return (System.nanoTime() - s) / 1e9;
    }

    private static StateDict procedural(Path schema) {
        return new ProceduralWeights("", WeightSchema.read(schema, "audio2exp", "audio2pose", "face_3drecon"));
    }
}
