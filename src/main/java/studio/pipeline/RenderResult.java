package studio.pipeline;

import java.nio.file.Path;

/**
 * What a finished render produced.
 *
 * @param compute the device and precision the networks ran on and why ({@link studio.nn.Compute#describe}), or null
 *                when no network ran
 */
public record RenderResult(
        Path output,
        String engine,
        String engineDescription,
        int frames,
        int width,
        int height,
        double seconds,
        String compute) {}
