package studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code packaging/studio} finds JDK 25 when {@code JAVA_TOOL_OPTIONS} is set (the JVM
 * then prints "Picked up JAVA_TOOL_OPTIONS: ..." before its version; issue 17, item 13).
 */
class LauncherScriptTest {
    @TempDir
    Path root;

    @Test
    void findsJdk25WithJavaToolOptionsSet() throws Exception {
        assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "a POSIX shell script");
        Path classes = Path.of("target", "classes").toAbsolutePath();
        Path classpath = Path.of("target", "classpath.txt");
        assumeTrue(Files.isRegularFile(classpath), "the build writes target/classpath.txt");
        // A copy of the launcher in an install folder that is already built (nothing newer than the
        // stamp), so it runs the CLI at once from this build's classes instead of building.
        Path script = Files.createDirectories(root.resolve("packaging")).resolve("studio");
        Files.copy(Path.of("packaging", "studio"), script);
        Files.copy(Path.of("packaging", "java-options"), script.resolveSibling("java-options"));
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Path built = Files.createDirectories(root.resolve("target/classes")).resolve(".built");
        Files.writeString(
                root.resolve("target/classpath.txt"),
                classes + File.pathSeparator + Files.readString(classpath).strip());
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        for (Path p : new Path[] {root.resolve("src/main"), root.resolve("src"), root.resolve("pom.xml")})
            Files.setLastModifiedTime(p, old);
        Files.writeString(built, "");

        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), "--help").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Dstudio.test=picked-up");
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher ends");
        String out = new String(p.getInputStream().readAllBytes());
        assertFalse(out.contains("JDK 25 not found"), out);
        assertFalse(out.contains("building"), "already built: " + out);
        assertTrue(out.contains("Picked up JAVA_TOOL_OPTIONS"), "the variable reached the JVM: " + out);
        assertTrue(out.toLowerCase().contains("usage"), out);
        assertEquals(0, p.exitValue(), out);
    }
}
