package studio.diffusion;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import studio.job.InputException;

/**
 * AUTOMATIC1111's prompt emphasis syntax ({@code modules/prompt_parser.parse_prompt_attention}):
 * {@code (text)} ×1.1, {@code [text]} ÷1.1, {@code (text:w)} ×w, nesting multiplies, backslash
 * escapes literal brackets, unbalanced brackets apply to the end, {@code BREAK} starts a new chunk.
 * Runs of equal weight are merged.
 */
public final class PromptParser {
    private PromptParser() {}

    /** A piece of prompt text and its weight; {@link #isBreak()} marks a BREAK. */
    public record Span(String text, double weight) {
        public boolean isBreak() {
            return weight == -1 && text.equals("BREAK");
        }
    }

    private static final Pattern ATTENTION = Pattern.compile(
            "\\\\\\(|\\\\\\)|\\\\\\[|\\\\]|\\\\\\\\|\\\\|\\(|\\[|:([+-]?[.\\d]+)\\)|\\)|]|[^\\\\()\\[\\]:]+|:");
    private static final Pattern BREAK = Pattern.compile("\\s*\\bBREAK\\b\\s*", Pattern.DOTALL);

    public static List<Span> parse(String prompt) {
        List<String> texts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        Deque<Integer> round = new ArrayDeque<>(), square = new ArrayDeque<>();
        Matcher m = ATTENTION.matcher(prompt);
        while (m.find()) {
            String t = m.group();
            String w = m.group(1);
            if (t.startsWith("\\")) {
                texts.add(t.substring(1));
                weights.add(1.0);
            } else if (t.equals("(")) round.push(texts.size());
            else if (t.equals("[")) square.push(texts.size());
            else if (w != null && !round.isEmpty()) multiply(weights, round.pop(), parseWeight(w));
            else if (t.equals(")") && !round.isEmpty()) multiply(weights, round.pop(), 1.1);
            else if (t.equals("]") && !square.isEmpty()) multiply(weights, square.pop(), 1 / 1.1);
            else {
                String[] parts = BREAK.split(t, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        texts.add("BREAK");
                        weights.add(-1.0);
                    }
                    texts.add(parts[i]);
                    weights.add(1.0);
                }
            }
        }
        // Unclosed brackets apply to the end, in the order they were opened, as the reference iterates its list.
        List<Integer> r = new ArrayList<>(round);
        Collections.reverse(r);
        for (int p : r) multiply(weights, p, 1.1);
        List<Integer> s = new ArrayList<>(square);
        Collections.reverse(s);
        for (int p : s) multiply(weights, p, 1 / 1.1);
        if (texts.isEmpty()) {
            texts.add("");
            weights.add(1.0);
        }
        List<Span> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (!out.isEmpty() && out.getLast().weight() == weights.get(i))
                out.set(out.size() - 1, new Span(out.getLast().text() + texts.get(i), weights.get(i)));
            else out.add(new Span(texts.get(i), weights.get(i)));
        }
        return out;
    }

    private static double parseWeight(String w) {
        try {
            return Double.parseDouble(w);
        } catch (NumberFormatException e) {
            throw new InputException("prompt weight '" + w + "' is not a number");
        }
    }

    private static void multiply(List<Double> weights, int from, double f) {
        for (int i = from; i < weights.size(); i++) weights.set(i, weights.get(i) * f);
    }
}
