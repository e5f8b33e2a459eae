package studio.diffusion;

import java.util.ArrayList;
import java.util.List;

/**
 * A prompt as AUTOMATIC1111 feeds it to CLIP ({@code sd_hijack_clip.tokenize_line}): emphasis
 * spans tokenized, cut into chunks of 75 tokens (moving the words after a comma to the next chunk
 * when the comma is within the last 20 tokens, and at every BREAK), each chunk framed by start and
 * end tokens and padded with end tokens to 77, with one weight per token.
 */
public final class PromptChunks {
    public static final int CHUNK = 75, COMMA_BACKTRACK = 20;

    /** One 77-token chunk and its per-token emphasis weights. */
    public record Chunk(int[] tokens, float[] weights) {}

    private PromptChunks() {}

    public static List<Chunk> of(String prompt, ClipTokenizer tokenizer) {
        int comma = tokenizer.id(",</w>");
        List<Chunk> chunks = new ArrayList<>();
        List<Integer> tokens = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        int lastComma = -1;
        for (PromptParser.Span span : PromptParser.parse(prompt)) {
            if (span.isBreak()) {
                close(chunks, tokens, weights);
                lastComma = -1;
                continue;
            }
            for (int token : tokenizer.encode(span.text())) {
                if (token == comma) lastComma = tokens.size();
                else if (COMMA_BACKTRACK != 0
                        && tokens.size() == CHUNK
                        && lastComma != -1
                        && tokens.size() - lastComma <= COMMA_BACKTRACK) {
                    int cut = lastComma + 1;
                    List<Integer> movedT = new ArrayList<>(tokens.subList(cut, tokens.size()));
                    List<Float> movedW = new ArrayList<>(weights.subList(cut, weights.size()));
                    tokens.subList(cut, tokens.size()).clear();
                    weights.subList(cut, weights.size()).clear();
                    close(chunks, tokens, weights);
                    lastComma = -1;
                    tokens.addAll(movedT);
                    weights.addAll(movedW);
                }
                if (tokens.size() == CHUNK) {
                    close(chunks, tokens, weights);
                    lastComma = -1;
                }
                tokens.add(token);
                weights.add((float) span.weight());
            }
        }
        if (!tokens.isEmpty() || chunks.isEmpty()) close(chunks, tokens, weights);
        return chunks;
    }

    private static void close(List<Chunk> chunks, List<Integer> tokens, List<Float> weights) {
        int[] t = new int[CHUNK + 2];
        float[] w = new float[CHUNK + 2];
        t[0] = ClipTokenizer.START;
        w[0] = 1;
        for (int i = 0; i < CHUNK; i++) {
            t[i + 1] = i < tokens.size() ? tokens.get(i) : ClipTokenizer.END;
            w[i + 1] = i < weights.size() ? weights.get(i) : 1f;
        }
        t[CHUNK + 1] = ClipTokenizer.END;
        w[CHUNK + 1] = 1;
        chunks.add(new Chunk(t, w));
        tokens.clear();
        weights.clear();
    }
}
