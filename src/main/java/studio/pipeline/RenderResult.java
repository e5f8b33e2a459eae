package studio.pipeline;

import java.nio.file.Path;

/** What a finished render produced. */
public record RenderResult(
        Path output, String engine, String engineDescription, int frames, int width, int height, double seconds) {}
