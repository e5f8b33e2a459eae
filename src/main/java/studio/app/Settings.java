package studio.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import studio.face.Preprocess;
import studio.pipeline.RenderOptions;
import studio.pipeline.RenderOptions.EngineChoice;
import studio.pipeline.RenderOptions.Enhancer;
import studio.weights.ModelCatalog;

/**
 * What the app remembers between runs (java.util.prefs): render options, recent files, output
 * folder, language. The node can be moved with {@code -Dstudio.prefs=...} (tests use a throw-away one).
 */
public final class Settings {
    public static final String LANG_SYSTEM = "system", LANG_EN = "en", LANG_ZH = "zh";
    private static final int RECENT_MAX = 8;
    private final Preferences prefs;

    public Settings(Preferences prefs) {
        this.prefs = prefs;
    }

    public static Settings forUser() {
        return new Settings(
                Preferences.userRoot().node(System.getProperty("studio.prefs", "studio/talking-head-studio")));
    }

    public String language() {
        return prefs.get("language", LANG_SYSTEM);
    }

    public void setLanguage(String language) {
        prefs.put("language", language);
        flush();
    }

    /** The UI locale: the chosen language, or the system's. */
    public Locale locale() {
        return switch (language()) {
            case LANG_EN -> Locale.ENGLISH;
            case LANG_ZH -> Locale.SIMPLIFIED_CHINESE;
            default -> Locale.getDefault();
        };
    }

    /** The remembered options for these inputs (SadTalker's defaults the first time). */
    public RenderOptions options(Path image, Path audio, Path output) {
        RenderOptions d = RenderOptions.defaults(image, audio, output);
        try {
            return d.toBuilder()
                    .poseStyle(prefs.getInt("poseStyle", d.poseStyle()))
                    .preprocess(Preprocess.valueOf(
                            prefs.get("preprocess", d.preprocess().name())))
                    .still(prefs.getBoolean("still", d.still()))
                    .size(prefs.getInt("size", d.size()))
                    .enhancer(
                            Enhancer.valueOf(prefs.get("enhancer", d.enhancer().name())))
                    .enhancerUpscale(prefs.getInt("enhancerUpscale", d.enhancerUpscale()))
                    .expressionScale(prefs.getDouble("expressionScale", d.expressionScale()))
                    .blink(prefs.getBoolean("blink", d.blink()))
                    .batchSize(prefs.getInt("batchSize", d.batchSize()))
                    .engine(EngineChoice.valueOf(prefs.get("engine", d.engine().name())))
                    .compute(
                            prefs.get("device", d.compute().device()),
                            prefs.get("precision", d.compute().precision()))
                    .checkpointDir(checkpointDir())
                    .build();
        } catch (RuntimeException e) { // a value from an older or edited store: start again from the defaults
            AppLog.warn("ignoring remembered options: " + e.getMessage());
            return d;
        }
    }

    public void saveOptions(RenderOptions o) {
        prefs.putInt("poseStyle", o.poseStyle());
        prefs.put("preprocess", o.preprocess().name());
        prefs.putBoolean("still", o.still());
        prefs.putInt("size", o.size());
        prefs.put("enhancer", o.enhancer().name());
        prefs.putInt("enhancerUpscale", o.enhancerUpscale());
        prefs.putDouble("expressionScale", o.expressionScale());
        prefs.putBoolean("blink", o.blink());
        prefs.putInt("batchSize", o.batchSize());
        prefs.put("engine", o.engine().name());
        prefs.put("device", o.compute().device());
        prefs.put("precision", o.compute().precision());
        flush();
    }

    /** Where the model files are: the chosen folder, else $STUDIO_CHECKPOINTS, else ./checkpoints. */
    public Path checkpointDir() {
        String s = prefs.get("checkpointDir", null);
        return s != null ? Path.of(s) : ModelCatalog.defaultDir();
    }

    public void setCheckpointDir(Path dir) {
        prefs.put("checkpointDir", dir.toString());
        flush();
    }

    public Path outputDir() {
        String s = prefs.get("outputDir", null);
        if (s != null) return Path.of(s);
        Path home = Path.of(System.getProperty("user.home"));
        Path videos = home.resolve("Videos");
        return (Files.isDirectory(videos) ? videos : home).resolve("Talking Head Studio");
    }

    public void setOutputDir(Path dir) {
        prefs.put("outputDir", dir.toString());
        flush();
    }

    /** The Stable Diffusion checkpoint last used to generate a portrait; null when none was chosen. */
    public Path sdCheckpoint() {
        String s = prefs.get("sdCheckpoint", null);
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    public void setSdCheckpoint(Path file) {
        prefs.put("sdCheckpoint", file.toString());
        flush();
    }

    /** The LoRA folder chosen in the Generate window; null when none was chosen. */
    public Path loraDir() {
        String s = prefs.get("loraDir", null);
        return s == null || s.isBlank() ? null : Path.of(s);
    }

    public void setLoraDir(Path dir) {
        prefs.put("loraDir", dir.toString());
        flush();
    }

    /** The Generate window's last prompt and negative prompt ("" the first time). */
    public String sdPrompt() {
        return prefs.get("sdPrompt", "");
    }

    public String sdNegativePrompt() {
        return prefs.get("sdNegativePrompt", "");
    }

    public void setSdPrompt(String prompt, String negativePrompt) {
        // java.util.prefs caps a value at 8 KB; a longer prompt is kept whole for the session only
        if (prompt.length() <= Preferences.MAX_VALUE_LENGTH) prefs.put("sdPrompt", prompt);
        if (negativePrompt.length() <= Preferences.MAX_VALUE_LENGTH) prefs.put("sdNegativePrompt", negativePrompt);
        flush();
    }

    /** Most recent first; files that no longer exist are dropped. */
    public List<Path> recent(String kind) {
        List<Path> out = new ArrayList<>();
        for (String s : prefs.get("recent." + kind, "").split("\n")) {
            if (!s.isBlank() && Files.exists(Path.of(s))) out.add(Path.of(s));
        }
        return out;
    }

    public void addRecent(String kind, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        List<Path> list = recent(kind);
        list.remove(abs);
        list.addFirst(abs);
        while (list.size() > RECENT_MAX) list.removeLast();
        prefs.put(
                "recent." + kind,
                String.join("\n", list.stream().map(Path::toString).toList()));
        flush();
    }

    private void flush() {
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            AppLog.warn("cannot save settings: " + e.getMessage());
        }
    }

    /** Removes every remembered value (tests). */
    public void clear() {
        try {
            prefs.removeNode();
        } catch (BackingStoreException e) {
            AppLog.warn("cannot clear settings: " + e.getMessage());
        }
    }
}
