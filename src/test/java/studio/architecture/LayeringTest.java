package studio.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one statement of the layering: {@link #LAYERS}, lowest first. A package may use only the
 * packages listed before it (and its own sub-packages); a package missing from the list fails,
 * so every new package is placed on purpose. README's "How it works" names the same order.
 */
class LayeringTest {
    /** Lowest first: the job types, picture and FFmpeg helpers, checkpoint readers and layers, then the stages in data order, then what drives them. */
    static final List<String> LAYERS = List.of(
            "job",
            "image",
            "media",
            "weights",
            "nn",
            "audio",
            "face",
            "motion",
            "render",
            "enhance",
            "video",
            "diffusion",
            "pipeline",
            "batch",
            "bench",
            "app",
            "cli");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("studio");
    }

    @Test
    void everyPackageIsPlacedInTheLayering() throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("src/main/java/studio"))) {
            s.filter(Files::isDirectory).forEach(d -> found.add(d.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(LAYERS), found, "the top-level packages under studio/ and LayeringTest.LAYERS");
    }

    @Test
    void noPackageImportsOneAboveIt() {
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream()
                    .map(p -> "studio." + p + "..")
                    .toArray(String[]::new);
            EvaluationResult r = noClasses()
                    .that()
                    .resideInAPackage("studio." + LAYERS.get(i) + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(above)
                    .because(LAYERS.get(i) + " sits below " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size())))
                    .evaluate(classes);
            violations.addAll(r.getFailureReport().getDetails());
        }
        assertEquals(List.of(), violations, "dependencies that point up");
    }

    @Test
    void everyPackageSaysWhatItIsAndWhatItMayUse() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("src/main/java/studio"))) {
            for (Path dir : s.filter(Files::isDirectory).toList()) {
                boolean hasJava;
                try (Stream<Path> f = Files.list(dir)) {
                    hasJava = f.anyMatch(p -> p.toString().endsWith(".java"));
                }
                if (!hasJava) continue;
                Path info = dir.resolve("package-info.java");
                assertTrue(Files.isRegularFile(info), "missing " + info);
                String text = Files.readString(info);
                assertTrue(
                        text.contains("May use") || text.contains("may use"), info + " says what the package may use");
            }
        }
    }
}
