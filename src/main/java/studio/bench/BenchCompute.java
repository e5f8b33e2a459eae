package studio.bench;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import studio.nn.Compute;

/** The device and the precisions a network benchmark runs on ({@code --device}, {@code --precision a,b}). */
public final class BenchCompute {
    @Option(
            names = "--device",
            paramLabel = "auto|cpu|cuda[:N]",
            defaultValue = "auto",
            description = "Where the network runs (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--precision",
            paramLabel = "P[,P...]",
            split = ",",
            defaultValue = "fp32",
            description =
                    "Precisions to measure side by side in one run: fp32, fp16, bf16, auto (default: ${DEFAULT-VALUE}).")
    List<String> precisions;

    /** One resolved compute per precision asked for, in order; a line for each says where and why. */
    List<Compute> resolve() {
        List<Compute> out = new ArrayList<>();
        for (String p : precisions) {
            Compute c = new Compute.Request(device, p).resolve();
            out.add(c);
            System.out.println("device: " + c.describe() + (precisions.size() > 1 ? " [--precision " + p + "]" : ""));
        }
        return out;
    }
}
