package dev.shelf.agent.emit;

/** Sites for {@link KeptFramesTest}. Never run. */
@SuppressWarnings("unused")
class FrameShapes {

    /** Straight-line site after a loop whose frame javac writes with the declared type {@code Object}. */
    static Object straight(int n) {
        Object o = "declared as Object, holds a String";
        for (int i = 0; i < n; i++) {
            o = o.toString();
        }
        return new Target(o, n);
    }

    static final class Target {
        Target(Object o, int n) {
        }
    }
}
