package studio.weights;

import java.util.LinkedHashSet;
import java.util.Set;

/** The keys of another state dict that start with a prefix, seen without it. */
final class PrefixedStateDict implements StateDict {
    private final StateDict inner;
    private final String prefix;

    PrefixedStateDict(StateDict inner, String prefix) {
        this.inner = inner;
        this.prefix = prefix;
    }

    @Override
    public String source() {
        return inner.source();
    }

    @Override
    public Set<String> keys() {
        Set<String> out = new LinkedHashSet<>();
        for (String k : inner.keys()) if (k.startsWith(prefix)) out.add(k.substring(prefix.length()));
        return out;
    }

    @Override
    public TensorInfo info(String key) {
        TensorInfo i = inner.info(prefix + key);
        return i == null ? null : new TensorInfo(key, i.dtype(), i.shape());
    }

    @Override
    public float[] floats(String key) {
        require(key);
        return inner.floats(prefix + key);
    }

    @Override
    public TensorInfo require(String key) {
        TensorInfo i = inner.info(prefix + key);
        if (i == null) throw new CheckpointException(source(), "missing tensor '" + prefix + key + "'");
        return new TensorInfo(key, i.dtype(), i.shape());
    }
}
