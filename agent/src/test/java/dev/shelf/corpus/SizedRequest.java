package dev.shelf.corpus;

import dev.shelf.Pooled;

/** A request class whose buffer is sized by a constructor argument. */
@Pooled
public final class SizedRequest {
    private final byte[] body;
    int length;

    public SizedRequest(int size) {
        body = new byte[size];
    }

    public byte[] body() {
        return body;
    }

    public void use(int n) {
        for (int i = 0; i < n; i++) {
            body[i] = (byte) (i ^ 0x5a);
        }
        length = n;
    }
}
