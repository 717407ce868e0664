package dev.shelf.bench;

import stormpot.BasePoolable;
import stormpot.Slot;

import java.util.ArrayList;
import java.util.List;

/** The scratch object as a Stormpot {@code Poolable}: it knows its slot and releases itself into it. */
public final class StormpotScratch extends BasePoolable implements Scratch {

    private final byte[] header = new byte[HEADER];
    private final byte[] body = new byte[BODY];
    private final List<String> tokens = new ArrayList<>(16);

    StormpotScratch(Slot slot) {
        super(slot);
    }

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
