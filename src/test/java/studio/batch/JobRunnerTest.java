package studio.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import studio.testing.TestMedia;
import studio.weights.ModelCatalog;

/** An executor renders job after job with the networks it loaded for the first one. */
class JobRunnerTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void secondJobReusesTheLoadedFaceModels() throws Exception {
        Path audio = TestMedia.sampleSpeech(dir.resolve("a.wav"), 1.0);
        Path out = Files.createDirectory(dir.resolve("out"));
        Path image = Path.of("samples/astronaut.png").toAbsolutePath();
        String key = "face-stage "
                + ModelCatalog.faceModels(ModelCatalog.defaultDir()).toAbsolutePath();
        int before = JobRunner.MODELS.loads(key);
        for (String id : new String[] {"one", "two"}) {
            BatchJob job =
                    new BatchJob(id, "jobs.csv", 2, image.toString(), audio.toString(), Map.of("engine", "builtin"));
            JobResult r = JobRunner.run(job, out, null);
            assertEquals(JobResult.DONE, r.status(), r.message());
        }
        assertEquals(
                before + (before == 0 ? 1 : 0), JobRunner.MODELS.loads(key), "the face models are loaded once per JVM");
    }
}
