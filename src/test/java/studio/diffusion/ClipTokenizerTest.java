package studio.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Token ids, emphasis spans and 77-token chunks against fixtures produced by OpenAI's
 * simple_tokenizer (published vocabulary) and AUTOMATIC1111's parse_prompt_attention /
 * tokenize_line (clip_tokens.json: emphasis, punctuation, unicode, HTML entities, BREAK, > 75 tokens).
 */
class ClipTokenizerTest {
    static Stream<JsonObject> cases() {
        JsonObject root = JsonParser.parseReader(new InputStreamReader(
                        ClipTokenizerTest.class.getResourceAsStream("clip_tokens.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("cases")) out.add(e.getAsJsonObject());
        return out.stream();
    }

    private static int[] ints(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).getAsInt();
        return v;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void tokenIdsMatchTheReference(JsonObject c) {
        String prompt = c.get("prompt").getAsString();
        int[] ids = ClipTokenizer.get().encode(prompt).stream()
                .mapToInt(Integer::intValue)
                .toArray();
        assertArrayEquals(ints(c.getAsJsonArray("ids")), ids, prompt);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void emphasisSpansMatchA1111(JsonObject c) {
        String prompt = c.get("prompt").getAsString();
        List<PromptParser.Span> spans = PromptParser.parse(prompt);
        JsonArray ref = c.getAsJsonArray("spans");
        assertEquals(ref.size(), spans.size(), prompt);
        for (int i = 0; i < spans.size(); i++) {
            assertEquals(
                    ref.get(i).getAsJsonArray().get(0).getAsString(),
                    spans.get(i).text(),
                    prompt);
            assertEquals(
                    ref.get(i).getAsJsonArray().get(1).getAsDouble(),
                    spans.get(i).weight(),
                    1e-12,
                    prompt);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void chunksMatchA1111(JsonObject c) {
        String prompt = c.get("prompt").getAsString();
        List<PromptChunks.Chunk> chunks = PromptChunks.of(prompt, ClipTokenizer.get());
        JsonArray ref = c.getAsJsonArray("chunks");
        assertEquals(ref.size(), chunks.size(), prompt);
        for (int i = 0; i < chunks.size(); i++) {
            JsonObject r = ref.get(i).getAsJsonObject();
            assertArrayEquals(ints(r.getAsJsonArray("tokens")), chunks.get(i).tokens(), prompt + " chunk " + i);
            JsonArray w = r.getAsJsonArray("weights");
            for (int k = 0; k < w.size(); k++)
                assertEquals(w.get(k).getAsFloat(), chunks.get(i).weights()[k], 1e-6f);
        }
    }

    @Test
    void specialTokens() {
        assertEquals(49406, ClipTokenizer.get().id("<|startoftext|>"));
        assertEquals(49407, ClipTokenizer.get().id("<|endoftext|>"));
        assertEquals(267, ClipTokenizer.get().id(",</w>"));
    }
}
