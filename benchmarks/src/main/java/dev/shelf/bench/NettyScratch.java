package dev.shelf.bench;

import io.netty.util.Recycler;

import java.util.ArrayList;
import java.util.List;

/** The scratch object with the handle Netty's {@link Recycler} needs to take it back. */
public final class NettyScratch implements Scratch {

    static final Recycler<NettyScratch> RECYCLER = new Recycler<>() {
        @Override
        protected NettyScratch newObject(Handle<NettyScratch> handle) {
            return new NettyScratch(handle);
        }
    };

    final Recycler.Handle<NettyScratch> handle;
    private final byte[] header = new byte[HEADER];
    private final byte[] body = new byte[BODY];
    private final List<String> tokens = new ArrayList<>(16);

    private NettyScratch(Recycler.Handle<NettyScratch> handle) {
        this.handle = handle;
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
