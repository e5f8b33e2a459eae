package studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import studio.bench.ProceduralFaceWeights;
import studio.golden.Golden;
import studio.nn.CpuBf16;
import studio.pipeline.RenderOptions;

/**
 * The app's device setting (issue 19): with the neural engine's checkpoints present the engine
 * line says where the networks run and why, from the code the render uses; asking for the GPU
 * on this CPU-only build says why it is unavailable before anything renders; the choice is
 * remembered.
 */
@ExtendWith(ApplicationExtension.class)
class DeviceOptionTest extends UiTestSupport {
    @Start
    void start(Stage stage) {
        open(stage, Settings.LANG_EN);
    }

    @Test
    void engineLineSaysWhereTheNetworksRun(FxRobot robot) throws Exception {
        Path ckpt = Files.createTempDirectory("procedural-checkpoints");
        ProceduralFaceWeights.writeCheckpointFolder(Golden.require("sadtalker/schema.json"), ckpt);
        fx(() -> {
            window.model.checkpointDir.set(ckpt);
            return null;
        });
        Label why = robot.lookup("#engine-why").queryAs(Label.class);

        clickInView(robot, "#device");
        robot.clickOn("Auto");
        String auto = settled(why);
        assertTrue(auto.contains("SadTalker"), auto);
        // fp32, or bf16 where this CPU has AMX / AVX512-BF16 and it measured faster
        String precision = CpuBf16.detect().usable() ? "bf16" : "fp32";
        assertTrue(auto.contains("Runs on: cpu, " + precision + " (auto: this build has CPU-only natives"), auto);
        assertTrue(auto.contains(CpuBf16.detect().why()), auto);
        screenshot(stage.getScene(), "device-auto-cpu");

        clickInView(robot, "#device");
        robot.clickOn("NVIDIA GPU (CUDA)");
        String cuda = settled(why);
        assertTrue(cuda.contains("Not available: the NVIDIA GPU needs the CUDA version"), cuda);
        assertTrue(
                !cuda.contains("--device") && !cuda.contains("-Pcuda"), "no command-line wording in the app: " + cuda);
        assertTrue(!robot.lookup("#engine-get").query().isVisible(), "no Models link: nothing to download");
        screenshot(stage.getScene(), "device-cuda-unavailable");

        clickInView(robot, "#precision");
        robot.clickOn("fp16");
        RenderOptions chosen = fx(() -> window.model.optionsFor(null, null, null));
        assertEquals("cuda", chosen.compute().device());
        assertEquals("fp16", chosen.compute().precision());
        RenderOptions remembered = fx(() -> window.settings.options(null, null, null));
        assertEquals("cuda", remembered.compute().device(), "the device choice is remembered");
        assertEquals("fp16", remembered.compute().precision());
    }

    /** The line once its check (off the FX thread) has finished. */
    private static String settled(Label why) {
        waitUntil("the engine check finishes", 60, () -> !why.getText().startsWith("Checking"));
        return why.getText();
    }
}
