package studio.weights;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.job.StudioException;

/**
 * The bundled catalog is the one home of the checkpoint file names and addresses: every role of
 * {@link Checkpoint} has exactly one entry, the names are the official release names (written out
 * here as the independent reference), and no product source spells a name or address itself.
 */
class CatalogRolesTest {
    /** The official names, as OpenTalker/SadTalker scripts/download_models.sh and its enhancer set-up fetch them. */
    static final Map<Checkpoint, String> RELEASED = Map.of(
            Checkpoint.SADTALKER_256, "SadTalker_V0.0.2_256.safetensors",
            Checkpoint.SADTALKER_512, "SadTalker_V0.0.2_512.safetensors",
            Checkpoint.MAPPING_CROP, "mapping_00229-model.pth.tar",
            Checkpoint.MAPPING_FULL, "mapping_00109-model.pth.tar",
            Checkpoint.GFPGAN, "GFPGANv1.4.pth",
            Checkpoint.RETINAFACE, "detection_Resnet50_Final.pth",
            Checkpoint.PARSENET, "parsing_parsenet.pth",
            Checkpoint.ALIGNMENT_WFLW, "alignment_WFLW_4HG.pth");

    /** Where each is published. */
    static final Map<Checkpoint, String> RELEASE_PAGE = Map.of(
            Checkpoint.SADTALKER_256, "https://github.com/OpenTalker/SadTalker/releases/download/v0.0.2-rc/",
            Checkpoint.SADTALKER_512, "https://github.com/OpenTalker/SadTalker/releases/download/v0.0.2-rc/",
            Checkpoint.MAPPING_CROP, "https://github.com/OpenTalker/SadTalker/releases/download/v0.0.2-rc/",
            Checkpoint.MAPPING_FULL, "https://github.com/OpenTalker/SadTalker/releases/download/v0.0.2-rc/",
            Checkpoint.GFPGAN, "https://github.com/TencentARC/GFPGAN/releases/download/v1.3.0/",
            Checkpoint.RETINAFACE, "https://github.com/xinntao/facexlib/releases/download/v0.1.0/",
            Checkpoint.PARSENET, "https://github.com/xinntao/facexlib/releases/download/v0.2.2/",
            Checkpoint.ALIGNMENT_WFLW, "https://github.com/xinntao/facexlib/releases/download/v0.1.0/");

    /** Fragments of the release names and addresses that must not appear in a product source's string literals. */
    static final List<String> FACTS = List.of(
            "github.com/",
            "SadTalker_V0",
            "mapping_00",
            "GFPGANv1",
            "parsing_parsenet",
            "detection_Resnet",
            "alignment_WFLW",
            "-model.pth");

    @Test
    void everyRoleHasExactlyOneBundledEntryWithTheReleasedName() {
        ModelCatalog c = ModelCatalog.read(Path.of("checkpoints/catalog.json"));
        assertEquals(EnumSet.allOf(Checkpoint.class), RELEASED.keySet(), "the reference lists every role");
        Set<String> roles = new HashSet<>();
        for (Checkpoint k : Checkpoint.values()) {
            assertTrue(roles.add(k.role()), "role ids differ: " + k.role());
            assertEquals(
                    1,
                    c.models().stream().filter(e -> k.role().equals(e.role())).count(),
                    k.role());
            assertEquals(RELEASED.get(k), k.file(), k.role());
            assertEquals(RELEASE_PAGE.get(k) + RELEASED.get(k), k.url(), k.role());
        }
        for (ModelCatalog.Entry e : c.models()) assertNotNull(e.role(), "every bundled entry has a role: " + e.file());
        assertEquals(Checkpoint.values().length, c.models().size(), "one role per entry");
    }

    @Test
    void lookupsResolveInAFolderAndNameTheAddressAndTheDownloadCommand() {
        Path dir = Path.of("some", "dir");
        assertEquals(dir.resolve("GFPGANv1.4.pth"), Checkpoint.GFPGAN.in(dir));
        assertEquals(Checkpoint.SADTALKER_512, Checkpoint.sadTalker(512));
        assertEquals(Checkpoint.MAPPING_FULL, Checkpoint.mapping(true));
        assertEquals(Checkpoint.MAPPING_CROP, Checkpoint.mapping(false));
        assertThrows(StudioException.class, () -> Checkpoint.sadTalker(300));
        assertEquals(
                "get it from https://github.com/TencentARC/GFPGAN/releases/download/v1.3.0/GFPGANv1.4.pth"
                        + " or run: studio models download GFPGANv1.4.pth",
                Checkpoint.GFPGAN.howToGet());
        assertSame(ModelCatalog.bundledCatalog(), ModelCatalog.bundledCatalog(), "read once");
    }

    @Test
    void aCatalogWithoutTheRoleOrWithABadRoleIsAOneLineError(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("catalog.json");
        Files.writeString(json, """
                {"models": [{"file": "a.pth", "url": "https://example.org/a.pth", "role": "a"}]}""");
        ModelCatalog c = ModelCatalog.read(json);
        StudioException e = assertThrows(StudioException.class, () -> c.entry("gfpgan"));
        assertTrue(
                e.getMessage().contains("no entry with role 'gfpgan'")
                        && !e.getMessage().contains("\n"),
                e.getMessage());
        Files.writeString(json, """
                {"models": [{"file": "a.pth", "url": "https://example.org/a.pth", "role": "a"},
                            {"file": "b.pth", "url": "https://example.org/b.pth", "role": "a"}]}""");
        e = assertThrows(StudioException.class, () -> ModelCatalog.read(json));
        assertTrue(e.getMessage().contains("role 'a' is listed twice"), e.getMessage());
        Files.writeString(json, """
                {"models": [{"file": "a.pth", "url": "https://example.org/a.pth", "role": "A B"}]}""");
        e = assertThrows(StudioException.class, () -> ModelCatalog.read(json));
        assertTrue(e.getMessage().contains("role 'A B'") && !e.getMessage().contains("\n"), e.getMessage());
        Files.writeString(json, "{\"models\": [");
        e = assertThrows(StudioException.class, () -> ModelCatalog.read(json));
        assertTrue(
                e.getMessage().contains("malformed model catalog")
                        && !e.getMessage().contains("\n"),
                e.getMessage());
    }

    @Test
    void theAppDescribesEveryRoleInEveryLanguage() throws IOException {
        for (String bundle : List.of("studio/app/messages.properties", "studio/app/messages_zh.properties")) {
            Properties p = new Properties();
            try (var in = getClass().getClassLoader().getResourceAsStream(bundle)) {
                assertNotNull(in, bundle);
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            for (Checkpoint k : Checkpoint.values())
                assertNotNull(p.getProperty("models.enables." + k.role()), bundle + " describes " + k.role());
            for (String key : p.stringPropertyNames())
                assertFalse(
                        key.startsWith("models.") && FACTS.stream().anyMatch(key::contains),
                        bundle + " keys by role, not file: " + key);
        }
    }

    @Test
    void noProductSourceSpellsACheckpointNameOrAddress() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList())
                for (String literal : stringLiterals(Files.readString(f)))
                    for (String fact : FACTS) if (literal.contains(fact)) found.add(f + ": \"" + literal + "\"");
        }
        assertTrue(
                found.isEmpty(),
                "checkpoint names and addresses belong in checkpoints/catalog.json (looked up through the Checkpoint enum): "
                        + found);
    }

    @Test
    void theLiteralScannerSkipsCommentsAndFindsStrings() {
        String src = "// \"x\"\n/* \"y\" */ String s = \"a\" + 'q' + '\"' + \"b\\\"c\"; /** \"z\" */\n"
                + "String t = \"\"\"\nd\n\"\"\";\n";
        assertEquals(List.of("a", "b\\\"c", "d\n"), stringLiterals(src));
    }

    /** The contents of the string literals and text blocks of a Java source, comments skipped (escapes kept as written). */
    static List<String> stringLiterals(String src) {
        List<String> out = new ArrayList<>();
        int i = 0, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                while (i < n && src.charAt(i) != '\n') i++;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !src.startsWith("\"\"\"", end)) end += src.charAt(end) == '\\' ? 2 : 1;
                int start = src.indexOf('\n', i + 3) + 1;
                out.add(src.substring(Math.min(start, Math.min(end, n)), Math.min(end, n)));
                i = end + 3;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && src.charAt(end) != c && src.charAt(end) != '\n')
                    end += src.charAt(end) == '\\' ? 2 : 1;
                if (c == '"') out.add(src.substring(i + 1, Math.min(end, n)));
                i = end + 1;
            } else {
                i++;
            }
        }
        return out;
    }
}
