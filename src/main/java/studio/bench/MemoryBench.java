package studio.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import studio.audio.AudioLoader;
import studio.job.InputException;
import studio.weights.ModelCatalog;

/**
 * Peak resident memory of whole render jobs against the length of the clip: each clip length is
 * rendered by the real CLI in a fresh JVM (same JVM flags and environment as this one), which reports
 * its own high-water mark (VmHWM) when it ends. Memory that does not grow with the clip shows as a
 * ratio near 1 between the long and the short clip.
 *
 * <p>The child is {@value #CHILD_MAIN}: a main class in the CLI package that runs the CLI and then
 * prints its own peak (a process cannot read another's high-water mark after it has ended). It is
 * named here by a string, not imported, since bench sits below cli (cli may import bench, not the
 * reverse); {@code MemoryBenchTest} checks that the class exists.
 */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        description = {
            "Peak memory of whole render jobs against clip length, a fresh process per clip length.",
            "Arguments after -- are passed to every render (e.g. -- --engine sadtalker --batch-size 2)."
        })
public final class MemoryBench implements Callable<Integer> {
    /** The child process's main class: runs {@code studio render ...}, then prints {@link #PEAK_PREFIX} and its VmHWM. */
    public static final String CHILD_MAIN = "studio.cli.PeakMemoryMain";
    /** The line prefix before the child's peak resident memory in KiB. */
    public static final String PEAK_PREFIX = "peak-rss-kib=";

    /** One measured render: clip length, frames, wall seconds, peak RSS in KiB. */
    public record Run(double seconds, int frames, double wallSeconds, long peakKib) {
        /** This run's peak above (or below) {@code base}'s, in percent. */
        double percentOver(Run base) {
            return 100.0 * (peakKib - base.peakKib) / base.peakKib;
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "SECONDS",
            arity = "0..*",
            description = "Clip lengths in seconds (default: 5 60), then after -- the render options.")
    List<String> positional = new ArrayList<>();

    @Option(
            names = "--schema",
            paramLabel = "FILE",
            description =
                    "Render with the neural engine and full-size procedural SadTalker weights written from this golden schema.json.")
    Path schema;

    @Option(
            names = "--gfpgan-schema",
            paramLabel = "FILE",
            description = "With --schema: also write procedural GFPGAN v1.4 weights from this golden schema.json"
                    + " (for renders with --enhancer gfpgan).")
    Path gfpganSchema;

    /**
     * Clip lengths, then the render options: picocli hands everything after {@code --} over as
     * positional parameters, so the leading numbers are the lengths and the rest, which only
     * {@code --} lets through, the options of {@code render}.
     */
    @Override
    public Integer call() throws IOException {
        List<Double> seconds = new ArrayList<>();
        List<String> renderArgs = new ArrayList<>();
        for (String a : positional) {
            if (renderArgs.isEmpty() && a.matches("[0-9]+(\\.[0-9]*)?")) seconds.add(Double.parseDouble(a));
            else renderArgs.add(a);
        }
        if (!renderArgs.isEmpty()
                && !spec.commandLine().getParseResult().originalArgs().contains("--"))
            throw new InputException("not a clip length: " + renderArgs.getFirst() + " (render options go after --)");
        for (double s : seconds) if (s <= 0) throw new InputException("clip lengths must be positive");
        BenchWeights.existing(schema);
        if (seconds.isEmpty()) seconds.addAll(List.of(5.0, 60.0));
        Path work = Files.createTempDirectory("studio-memory-bench");
        try {
            if (schema != null) {
                Path ckpt = work.resolve("checkpoints");
                ProceduralFaceWeights.writeCheckpointFolder(schema, ckpt);
                if (gfpganSchema != null) ProceduralFaceWeights.writeGfpgan(BenchWeights.existing(gfpganSchema), ckpt);
                renderArgs.addAll(0, List.of("--engine", "sadtalker", "--checkpoint-dir", ckpt.toString()));
            }
            System.out.printf(
                    "render %s, %d cores, load %s%n",
                    String.join(" ", renderArgs),
                    Runtime.getRuntime().availableProcessors(),
                    ProcessStats.loadAverage());
            run(
                    ModelCatalog.installDir().resolve("samples/astronaut.png"),
                    ModelCatalog.installDir().resolve("samples/speech.wav"),
                    seconds.stream().mapToDouble(Double::doubleValue).toArray(),
                    renderArgs,
                    work);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }

    /**
     * Renders {@code speech} looped to each length in {@code seconds} with {@code renderArgs} appended
     * (engine, checkpoint folder, size...), one child process per length; prints one table row per run.
     */
    public static List<Run> run(Path portrait, Path speech, double[] seconds, List<String> renderArgs, Path work)
            throws IOException {
        Files.createDirectories(work);
        System.out.println("| clip | frames | wall | s/frame | peak RSS (VmHWM) | vs first |");
        System.out.println("|---|---|---|---|---|---|");
        List<Run> runs = new ArrayList<>();
        for (double s : seconds) {
            Path clip = work.resolve(String.format("clip-%.0fs.wav", s));
            writeLooped(speech, s, clip);
            Path out = work.resolve(String.format("clip-%.0fs.mp4", s));
            List<String> args = new ArrayList<>(
                    List.of("render", "-q", "-i", portrait.toString(), "-a", clip.toString(), "-o", out.toString()));
            args.addAll(renderArgs);
            long t0 = System.nanoTime();
            long peak = runChild(args, work.resolve(String.format("clip-%.0fs.log", s)));
            Run r = new Run(s, (int) Math.floor(s * 25), (System.nanoTime() - t0) / 1e9, peak);
            runs.add(r);
            System.out.printf(
                    "| %.0f s | %d | %.0f s | %.2f | %.2f GiB | %+.1f%% |%n",
                    s,
                    r.frames(),
                    r.wallSeconds(),
                    r.wallSeconds() / r.frames(),
                    peak / 1048576.0,
                    r.percentOver(runs.getFirst()));
            System.out.flush();
        }
        if (runs.size() > 1) {
            Run first = runs.getFirst(), last = runs.getLast();
            System.out.printf(
                    "peak memory for %.0f s is %+.1f%% of that for %.0f s%n",
                    last.seconds(), last.percentOver(first), first.seconds());
        }
        return runs;
    }

    /** Runs the CLI in a fresh JVM through {@value #CHILD_MAIN} and returns the child's peak RSS in KiB. */
    private static long runChild(List<String> cliArgs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CHILD_MAIN);
        cmd.addAll(cliArgs);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String peak = null;
        for (String line : Files.readAllLines(log))
            if (line.startsWith(PEAK_PREFIX))
                peak = line.substring(PEAK_PREFIX.length()).trim();
        if (code != 0 || peak == null) throw new IOException("render failed (exit " + code + "), see " + log);
        return Long.parseLong(peak);
    }

    /** Writes {@code seconds} of {@code speech} (16 kHz mono, looped) as a 16-bit WAV file. */
    public static void writeLooped(Path speech, double seconds, Path wav) throws IOException {
        float[] src = AudioLoader.decode(speech, 16000, 1);
        if (src.length == 0) throw new IOException("no audio in " + speech);
        int n = (int) Math.round(seconds * 16000);
        byte[] pcm = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            int v = Math.round(Math.max(-1f, Math.min(1f, src[i % src.length])) * 32767);
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        AudioFormat format = new AudioFormat(16000, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }
    }
}
