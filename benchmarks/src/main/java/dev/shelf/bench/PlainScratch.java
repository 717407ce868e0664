package dev.shelf.bench;

import java.util.ArrayList;
import java.util.List;

/** A scratch object nobody pools by itself: what {@code new}, Commons Pool and the ThreadLocal stack hand out. */
public final class PlainScratch implements Scratch {

    private final byte[] header = new byte[HEADER];
    private final byte[] body = new byte[BODY];
    private final List<String> tokens = new ArrayList<>(16);

    @Override
    public byte[] header() {
        return header;
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public List<String> tokens() {
        return tokens;
    }

    @Override
    public void reset() {
        tokens.clear();
    }
}
