package studio.video;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import studio.audio.AudioLoader;
import studio.cli.StudioCli;
import studio.testing.Mp4Probe;
import studio.testing.TestMedia;

/** The exported MP4, read back: H.264 at 25 fps, one frame per 640 samples at 16 kHz, AAC as long as the video. */
class Mp4ExportTest {
    @TempDir
    static Path dir;

    static Path speech;

    @BeforeAll
    static void speak() {
        speech = TestMedia.speech(dir, "speech", "The quick brown fox jumps over the lazy dog. Testing one two three.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wav", "mp3", "stereo44k"})
    void videoMatchesAudioFrames(String kind) throws Exception {
        Path audio = switch (kind) {
            case "mp3" -> TestMedia.convert(speech, dir.resolve("speech.mp3"), 22050, 1, avcodec.AV_CODEC_ID_MP3);
            case "stereo44k" ->
                TestMedia.convert(speech, dir.resolve("stereo.wav"), 44100, 2, avcodec.AV_CODEC_ID_PCM_S16LE);
            default -> speech;
        };
        int expectedFrames = AudioLoader.decode(audio, 16000, 1).length / 640;
        assertTrue(expectedFrames > 50, "speech too short: " + expectedFrames);
        Path out = dir.resolve(kind + ".mp4");
        assertEquals(
                0,
                StudioCli.execute(
                        "render", "-q", "-i", "samples/astronaut.png", "-a", audio.toString(), "-o", out.toString()));
        Mp4Probe p = Mp4Probe.read(out);
        assertEquals("h264", p.videoCodec());
        assertEquals("aac", p.audioCodec());
        assertEquals(25.0, p.frameRate(), 1e-6);
        assertEquals(expectedFrames, p.videoFrames());
        assertEquals(expectedFrames / 25.0, p.audioSeconds(), 1 / 25.0, "audio duration within one frame of the video");
        assertNotNull(p.comment());
        assertTrue(p.comment().contains("engine="), p.comment());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "temp file left behind");
        }
    }
}
