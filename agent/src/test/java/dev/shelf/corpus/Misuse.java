package dev.shelf.corpus;

/** Code that misuses pooled objects, for strict mode to catch. */
public final class Misuse {

    private Misuse() {
    }

    /** @return a request object that has been released: every use of it is a bug */
    public static OwnedBuffers released() {
        OwnedBuffers b = new OwnedBuffers();
        dev.shelf.Shelf.release(b);
        return b;
    }

    /** Reads a field of the object in another method than the one that released it. */
    public static long readField(WithArguments w) {
        return w.total;
    }

    /** Writes a long field (two stack slots) of the object. */
    public static void writeWideField(WithArguments w, long v) {
        w.total = v;
    }

    /** Writes a reference field of the object. */
    public static void writeField(WithArguments w, String label) {
        w.label = label;
    }

    /** Calls a method of the object from a callee. */
    public static int callee(OwnedBuffers b) {
        return b.length();
    }

    /** Uses the object correctly: all checks pass. */
    public static long correctUse() {
        WithArguments w = new WithArguments(1, 2.0, 3, null);
        w.total += 1;
        w.label = "ok";
        long t = w.total;
        dev.shelf.Shelf.release(w);
        return t;
    }
}
