package dev.shelf.agent.emit;

/** A site for {@link KeptFramesTest} that needs computed frames. Never run. */
@SuppressWarnings("unused")
class BranchyFrameShapes {

    /** A jump inside the site's arguments: paired by data flow, so the frames must be computed. */
    static Object branchy(int n, boolean flag) {
        Object o = "declared as Object, holds a String";
        for (int i = 0; i < n; i++) {
            o = o.toString();
        }
        return new FrameShapes.Target(flag ? o : null, n);
    }

}
