package studio.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import studio.audio.AudioLoader;
import studio.batch.BatchSpec;
import studio.batch.JobResult;
import studio.batch.SparkBatch;
import studio.job.JobContext;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderOptions.EngineChoice;
import studio.pipeline.RenderPipeline;
import studio.weights.ModelCatalog;

/**
 * Jobs per minute of {@code studio batch} in Spark's {@code local-cluster} mode (separate executor
 * JVMs, as on a farm) with 1 and 2 executors, against the same job rendered by {@code render}
 * alone in a warm JVM. Short built-in engine jobs make Spark's overhead visible.
 */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        description =
                "Batch rendering on Spark local-cluster: jobs per minute with 1 and 2 executors, overhead per job.")
public final class BatchBench implements Callable<Integer> {
    @Option(names = "--jobs", defaultValue = "12", description = "Jobs per batch (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(
            names = "--seconds",
            defaultValue = "1.0",
            description = "Audio per job, cut from samples/speech.wav (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--executors",
            split = ",",
            defaultValue = "1,2",
            description = "Executor counts to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> executors;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path dir = Files.createTempDirectory("studio-bench-batch");
        try {
            Path image =
                    Files.copy(ModelCatalog.installDir().resolve("samples/astronaut.png"), dir.resolve("face.png"));
            Path wav = wav(dir.resolve("speech.wav"), ModelCatalog.installDir().resolve("samples/speech.wav"), seconds);
            StringBuilder csv = new StringBuilder("id,image,audio,engine,pose_style\n");
            for (int i = 1; i <= jobs; i++)
                csv.append(String.format(Locale.ROOT, "job%02d,face.png,speech.wav,builtin,%d%n", i, i % 46));
            Path jobsFile = Files.writeString(dir.resolve("jobs.csv"), csv);

            // render alone: in this (warm) JVM, the mean of three renders after one to warm up; and as
            // `studio render` in a fresh JVM per clip, what rendering a list of clips costs without batch
            double warm = 0;
            for (int i = 0; i < 4; i++) {
                RenderOptions o = RenderOptions.builder()
                        .image(image)
                        .audio(wav)
                        .output(dir.resolve("alone.mp4"))
                        .engine(EngineChoice.BUILTIN)
                        .build();
                double secs = RenderPipeline.render(o, JobContext.quiet()).seconds();
                if (i > 0) warm += secs / 3;
            }
            double cold = 0;
            for (int i = 0; i < 3; i++) cold += renderCommand(image, wav, dir.resolve("cold.mp4")) / 3;
            out.printf(
                    Locale.ROOT,
                    "%d jobs of %.1f s of audio (built-in engine, crop 256); render alone: %.2f s per job in a warm"
                            + " JVM, %.2f s per `studio render` command (fresh JVM)%n%n",
                    jobs,
                    seconds,
                    warm,
                    cold);
            out.println("| executors | batch wall s | jobs per minute | job time in its task, mean s"
                    + " | Spark's overhead per job, executor-s | batch vs one `studio render` per clip |");
            out.println("| --- | --- | --- | --- | --- | --- |");
            for (int e : executors) {
                Path o = dir.resolve("out" + e);
                BatchSpec spec =
                        new BatchSpec(jobsFile, o, "local-cluster[" + e + ",1,1536]", 0, 0, false, null, null, true);
                long t0 = System.nanoTime();
                List<JobResult> rows = SparkBatch.run(spec, System.err);
                double wall = (System.nanoTime() - t0) / 1e9;
                long done = rows.stream()
                        .filter(r -> r.status().equals(JobResult.DONE))
                        .count();
                if (done != jobs) throw new IllegalStateException(done + " of " + jobs + " jobs done: " + rows);
                double inTask =
                        rows.stream().mapToDouble(JobResult::seconds).average().orElse(0);
                // executor-seconds per job beyond the job itself: Spark and executor JVM start-up, scheduling
                double overhead = wall * e / jobs - inTask;
                out.printf(
                        Locale.ROOT,
                        "| %d | %.1f | %.1f | %.2f | %.2f | %.1f× faster |%n",
                        e,
                        wall,
                        jobs / wall * 60,
                        inTask,
                        overhead,
                        cold * jobs / wall);
            }
            return 0;
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Wall seconds of {@code studio render} in a fresh JVM with this JVM's options and class path. */
    private static double renderCommand(Path image, Path audio, Path output) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "studio.cli.StudioCli", "render", "-q"));
        cmd.addAll(List.of("-i", image.toString(), "-a", audio.toString(), "-o", output.toString()));
        cmd.addAll(List.of("--engine", "builtin"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (p.waitFor() != 0) throw new IllegalStateException("studio render failed: " + cmd);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The first {@code seconds} of {@code source} as a 16 kHz mono 16-bit WAV. */
    static Path wav(Path file, Path source, double seconds) throws IOException {
        float[] all = AudioLoader.decode(source, 16000, 1);
        int n = (int) Math.min(all.length, seconds * 16000);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + 2 * n).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1);
        b.putInt(16000).putInt(32000).putShort((short) 2).putShort((short) 16);
        b.put(ascii("data")).putInt(2 * n);
        for (int i = 0; i < n; i++) b.putShort((short) Math.round(Math.max(-1, Math.min(1, all[i])) * 32767));
        return Files.write(file, b.array());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
