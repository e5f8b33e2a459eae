package studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import studio.audio.AudioFeatures;
import studio.audio.AudioLoader;
import studio.nn.NativeMemory;
import studio.testing.Mp4Probe;

/**
 * The Linux installers of {@code packaging/jpackage.sh} (issue 17, item 14): the script builds the app
 * image and a .deb, and the packaged {@code studio} launcher renders the samples, runs a batch (Spark's
 * module options) and reports that mallopt set the allocator (no GLIBC_TUNABLES, no shell launcher); the
 * packaged desktop app opens its window.
 *
 * <p>A surefire test, not failsafe: the script is run with STUDIO_SKIP_BUILD=1 and packages
 * target/classes and target/classpath.txt, which exist after {@code compile}, making the app's jar with the
 * JDK's {@code jar} tool exactly as it does after its own Maven build; so this runs in {@code verify}
 * and alone with {@code surefire:test -Dtest=PackagedAppTest}, with no second Maven run inside Maven.
 * The .deb is built uncompressed here (DPKG_DEB_COMPRESSOR_TYPE=none): xz takes ~3 min on 2 cores
 * for the same contents.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PackagedAppTest {
    @TempDir
    static Path dir;

    private static Path image;
    private static Path deb;
    private static String scriptLog;

    @BeforeAll
    static void packageTheApp() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the Linux installers");
        assumeTrue(Files.isRegularFile(Path.of("target/classpath.txt")), "the build writes target/classpath.txt");
        ProcessBuilder pb = new ProcessBuilder("sh", "packaging/jpackage.sh").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("TYPE", "deb");
        pb.environment().put("STUDIO_SKIP_BUILD", "1");
        pb.environment().put("STUDIO_PACKAGE_DIR", dir.toString());
        pb.environment().put("DPKG_DEB_COMPRESSOR_TYPE", "none");
        long t0 = System.nanoTime();
        Run r = run(pb, 480);
        scriptLog = r.out();
        assertEquals(0, r.code(), "jpackage.sh failed:\n" + r.out());
        System.out.printf("jpackage.sh (app image + .deb): %.1f s%n", (System.nanoTime() - t0) / 1e9);
        image = dir.resolve("installer/TalkingHeadStudio");
        try (Stream<Path> s = Files.list(dir.resolve("installer"))) {
            deb = s.filter(p -> p.toString().endsWith(".deb")).findFirst().orElse(null);
        }
        assertTrue(deb != null, "a .deb in installer/: " + r.out());
        assertTrue(Files.notExists(dir.resolve("app-lib")), "the script removes its staging folder");
        System.out.printf("app image %d MiB, .deb %d MiB (uncompressed)%n", size(image) >> 20, Files.size(deb) >> 20);
    }

    @Test
    void appImageHasBothLaunchersTheModelsAndTheRuntime() {
        for (String f : List.of(
                "bin/TalkingHeadStudio",
                "bin/studio",
                "lib/app/TalkingHeadStudio.cfg",
                "lib/app/studio.cfg",
                "lib/app/checkpoints/catalog.json",
                "lib/app/checkpoints/face-api/ssd_mobilenetv1_model.bin",
                "lib/app/samples/astronaut.png",
                "lib/app/talking-head-studio-0.1.0.jar",
                "lib/runtime/lib/server/libjvm.so"))
            assertTrue(Files.exists(image.resolve(f)), f + " in the app image; script said:\n" + scriptLog);
    }

    @Test
    void packagedCliAppliesTheAllocatorSettingsItself() throws Exception {
        Run r = studio("info");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("native allocator: " + NativeMemory.BY_MALLOPT), r.out());
        assertTrue(r.out().contains(image.resolve("lib/runtime").toString()), "its own runtime: " + r.out());
        assertTrue(r.out().contains("install folder: " + image.resolve("lib/app")), r.out());
    }

    @Test
    void packagedCliRendersTheSamples() throws Exception {
        Path out = dir.resolve("talk.mp4");
        Path samples = image.resolve("lib/app/samples");
        Run r = studio(
                "render",
                "-i",
                samples.resolve("astronaut.png").toString(),
                "-a",
                samples.resolve("speech.wav").toString(),
                "-o",
                out.toString());
        assertEquals(0, r.code(), r.out());
        AudioFeatures audio = AudioLoader.load(Path.of("samples/speech.wav"));
        Mp4Probe p = Mp4Probe.read(out);
        System.out.printf(
                "packaged render: %d frames, %.2f s audio, %dx%d %s/%s%n",
                p.videoFrames(), p.audioSeconds(), p.width(), p.height(), p.videoCodec(), p.audioCodec());
        assertEquals(audio.numFrames(), p.videoFrames(), "one frame per 40 ms of speech");
        assertEquals(audio.seconds(), p.audioSeconds(), 0.1);
        assertEquals("h264", p.videoCodec());
        assertEquals("aac", p.audioCodec());
    }

    /** In local mode Spark's driver and executor are this JVM: it needs the launcher's add-opens. */
    @Test
    void packagedCliRunsABatch() throws Exception {
        Path samples = image.resolve("lib/app/samples");
        Path jobs = Files.writeString(
                dir.resolve("jobs.csv"),
                "id,image,audio\nhello," + samples.resolve("astronaut.png") + "," + samples.resolve("speech.wav")
                        + "\n");
        Path out = dir.resolve("batch");
        Run r = studio("batch", jobs.toString(), "--out", out.toString(), "--executors", "1");
        assertEquals(0, r.code(), r.out());
        assertTrue(Files.readString(out.resolve("results.csv")).contains("hello,done"), r.out());
        assertTrue(Mp4Probe.read(out.resolve("hello.mp4")).videoFrames() > 0);
    }

    @Test
    void packagedDesktopAppOpensItsWindow() throws Exception {
        assumeTrue(!Boolean.getBoolean("testfx.skip"), "-Dtestfx.skip=true");
        assumeTrue(System.getenv("DISPLAY") != null, "a display (CI runs the tests under Xvfb)");
        Path home = Files.createDirectories(dir.resolve("home"));
        Path log = dir.resolve("app.log");
        ProcessBuilder pb = new ProcessBuilder(
                        image.resolve("bin/TalkingHeadStudio").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("GLIBC_TUNABLES");
        // Its own preferences and language, not the user's: the JVM reads JAVA_TOOL_OPTIONS itself.
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home + " -Duser.language=en -Duser.country=US");
        Process p = pb.start();
        try {
            String text = "";
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!text.contains("window shown") && p.isAlive() && System.nanoTime() < end) {
                Thread.sleep(250);
                text = Files.readString(log, StandardCharsets.UTF_8);
            }
            assertTrue(text.contains("window shown; native allocator: " + NativeMemory.BY_MALLOPT), text);
            String windows = windows();
            assertTrue(windows.contains("\"Talking Head Studio\""), "its window on the display:\n" + windows);
            Thread.sleep(2000);
            assertTrue(p.isAlive(), "still running:\n" + Files.readString(log));
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the app did not end on SIGTERM");
            }
        }
    }

    @Test
    void debHoldsTheLaunchersTheModelsAndTheRuntime() throws Exception {
        Run info = run(new ProcessBuilder("dpkg-deb", "-I", deb.toString()), 60);
        assertEquals(0, info.code(), info.out());
        assertTrue(info.out().contains("Package: talking-head-studio"), info.out());
        assertTrue(info.out().contains("Version: 0.1.0"), info.out());
        Run list = run(new ProcessBuilder("dpkg-deb", "-c", deb.toString()), 60);
        assertEquals(0, list.code(), list.out());
        for (String f : List.of(
                "./opt/talking-head-studio/bin/TalkingHeadStudio",
                "./opt/talking-head-studio/bin/studio",
                "./opt/talking-head-studio/lib/app/studio.cfg",
                "./opt/talking-head-studio/lib/app/checkpoints/catalog.json",
                "./opt/talking-head-studio/lib/app/checkpoints/face-api/ssd_mobilenetv1_model.bin",
                "./opt/talking-head-studio/lib/app/samples/speech.wav",
                "./opt/talking-head-studio/lib/runtime/lib/server/libjvm.so"))
            assertTrue(
                    list.out().lines().anyMatch(l -> l.endsWith(" " + f)),
                    f + " in the .deb:\n" + list.out().lines().limit(40).toList());
        assertTrue(
                list.out().lines().anyMatch(l -> l.endsWith("-TalkingHeadStudio.desktop")),
                "a menu entry for the desktop app:\n"
                        + list.out()
                                .lines()
                                .filter(l -> !l.contains("/runtime/"))
                                .toList());
        assertTrue(list.out().lines().noneMatch(l -> l.endsWith("-studio.desktop")), "none for the command line");
    }

    private static Run studio(String... args) throws Exception {
        var cmd = new ArrayList<String>();
        cmd.add(image.resolve("bin/studio").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("GLIBC_TUNABLES"); // surefire sets it for the tests; an installed app has none
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + dir.resolve("home"));
        return run(pb, 240);
    }

    private static String windows() throws Exception {
        Run r = run(new ProcessBuilder("xwininfo", "-root", "-tree"), 30);
        assertEquals(0, r.code(), "xwininfo (x11-utils; .ci/run installs it): " + r.out());
        return r.out();
    }

    private record Run(int code, String out) {}

    private static Run run(ProcessBuilder pb, int seconds) throws Exception {
        Path log = Files.createTempFile(dir, "run", ".log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail(pb.command() + " ran past " + seconds + " s:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log));
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }
}
