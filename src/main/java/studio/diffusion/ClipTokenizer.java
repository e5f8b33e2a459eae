package studio.diffusion;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * OpenAI CLIP's byte-level BPE tokenizer ({@code clip/simple_tokenizer.py}) with its published
 * merges (bundled resource). Written here because no Java library ships CLIP's tokenizer.
 * Text is cleaned as the reference does (HTML entities, whitespace, lower case; ftfy's mojibake
 * repair is not reproduced), split with CLIP's pattern, UTF-8 bytes mapped to printable
 * characters, and merged by rank.
 */
public final class ClipTokenizer {
    public static final int START = 49406, END = 49407;
    private static final int MERGES = 49152 - 256 - 2;
    private static final Pattern SPLIT = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private final String[] byteChars = new String[256];
    private final Map<String, Integer> encoder = new HashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<String, String> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
            return size() > 10_000;
        }
    };

    private static volatile ClipTokenizer shared;

    /** The tokenizer with the bundled vocabulary (loaded once). */
    public static ClipTokenizer get() {
        if (shared == null) {
            synchronized (ClipTokenizer.class) {
                if (shared == null) shared = new ClipTokenizer();
            }
        }
        return shared;
    }

    private ClipTokenizer() {
        // bytes_to_unicode: printable Latin-1 bytes stand for themselves, the others map to 256 + n.
        List<Integer> order = new ArrayList<>();
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) printable[b] = true;
        for (int b = 0xA1; b <= 0xAC; b++) printable[b] = true;
        for (int b = 0xAE; b <= 0xFF; b++) printable[b] = true;
        for (int b = 0; b < 256; b++)
            if (printable[b]) {
                order.add(b);
                byteChars[b] = String.valueOf((char) b);
            }
        int n = 0;
        for (int b = 0; b < 256; b++)
            if (!printable[b]) {
                order.add(b);
                byteChars[b] = String.valueOf((char) (256 + n++));
            }
        List<String> vocab = new ArrayList<>();
        for (int b : order) vocab.add(byteChars[b]);
        for (int b : order) vocab.add(byteChars[b] + "</w>");
        try (InputStream in = ClipTokenizer.class.getResourceAsStream("bpe_simple_vocab_16e6.txt.gz");
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            r.readLine(); // header
            for (int i = 0; i < MERGES; i++) {
                String line = r.readLine();
                int sp = line.indexOf(' ');
                ranks.put(line, i);
                vocab.add(line.substring(0, sp) + line.substring(sp + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CLIP vocabulary resource unreadable", e);
        }
        vocab.add("<|startoftext|>");
        vocab.add("<|endoftext|>");
        for (int i = 0; i < vocab.size(); i++) encoder.put(vocab.get(i), i);
    }

    /** Token ids of a text, without start/end tokens and without truncation. */
    public List<Integer> encode(String text) {
        String clean = WHITESPACE
                .matcher(unescapeHtml(unescapeHtml(text)).strip())
                .replaceAll(" ")
                .strip()
                .toLowerCase(Locale.ROOT);
        List<Integer> ids = new ArrayList<>();
        Matcher m = SPLIT.matcher(clean);
        while (m.find()) {
            StringBuilder sb = new StringBuilder();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) sb.append(byteChars[b & 0xff]);
            for (String piece : bpe(sb.toString()).split(" ")) ids.add(encoder.get(piece));
        }
        return ids;
    }

    /** id of a vocabulary entry such as {@code ",</w>"}, or -1. */
    public int id(String token) {
        return encoder.getOrDefault(token, -1);
    }

    private synchronized String bpe(String token) {
        String hit = cache.get(token);
        if (hit != null) return hit;
        List<String> word = new ArrayList<>();
        int[] cps = token.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            String c = new String(cps, i, 1);
            word.add(i == cps.length - 1 ? c + "</w>" : c);
        }
        while (word.size() > 1) {
            int best = Integer.MAX_VALUE, at = -1;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer r = ranks.get(word.get(i) + " " + word.get(i + 1));
                if (r != null && r < best) {
                    best = r;
                    at = i;
                }
            }
            if (at < 0) break;
            String first = word.get(at), second = word.get(at + 1);
            List<String> merged = new ArrayList<>();
            for (int i = 0; i < word.size(); i++) {
                if (i + 1 < word.size()
                        && word.get(i).equals(first)
                        && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else merged.add(word.get(i));
            }
            word = merged;
        }
        String out = String.join(" ", word);
        cache.put(token, out);
        return out;
    }

    /** html.unescape for the entities prompts contain: named basics and numeric references. */
    static String unescapeHtml(String s) {
        if (s.indexOf('&') < 0) return s;
        Matcher m = Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|amp|lt|gt|quot|apos|nbsp);")
                .matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String rep = switch (e) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> "\u00a0";
                default ->
                    Character.toString(
                            e.charAt(1) == 'x' || e.charAt(1) == 'X'
                                    ? Integer.parseInt(e.substring(2), 16)
                                    : Integer.parseInt(e.substring(1)));
            };
            m.appendReplacement(sb, Matcher.quoteReplacement(rep));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
