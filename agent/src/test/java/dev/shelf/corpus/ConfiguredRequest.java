package dev.shelf.corpus;

import dev.shelf.Pooled;

/** The request class: a buffer whose size comes from configuration when the class initialises. */
@Pooled
public final class ConfiguredRequest {
    static int SIZE = Integer.getInteger("app.bufferSize", 1 << 20);
    final byte[] body = new byte[SIZE];
    int length;

    public byte[] body() {
        return body;
    }

    public void use(int n) {
        for (int i = 0; i < n; i++) {
            body[i] = (byte) i;
        }
        length = n;
    }
}
