package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The founding example's shape: a big buffer and containers the object owns (final, or private and assigned only in
 * the constructor), which re-initialisation must empty and keep rather than reallocate.
 */
@Pooled
public class OwnedBuffers {
    private final byte[] buffer = new byte[16 * 1024];
    private final List<String> tokens = new ArrayList<>(32);
    private final StringBuilder text = new StringBuilder();
    private Map<String, Integer> counts = new HashMap<>();
    private final Primitives child = new Primitives();
    private int length;
    private Object caller;

    public OwnedBuffers() {
    }

    /** Fills the object as a request would. */
    public void fill(Object from, int n) {
        caller = from;
        for (int i = 0; i < n; i++) {
            buffer[i] = (byte) i;
            tokens.add("t");
            counts.put("t", i);
        }
        text.append("filled");
        length = n;
    }

    /** Fills the buffer and the token list only (no map: a map entry is an allocation of its own). */
    public void fillTokens(int n) {
        for (int i = 0; i < n; i++) {
            buffer[i] = (byte) i;
            tokens.add("t");
        }
        text.append('x');
        length = n;
    }

    public byte[] buffer() {
        return buffer;
    }

    public List<String> tokens() {
        return tokens;
    }

    public Map<String, Integer> counts() {
        return counts;
    }

    public Primitives child() {
        return child;
    }

    public Object caller() {
        return caller;
    }

    public int length() {
        return length;
    }
}
