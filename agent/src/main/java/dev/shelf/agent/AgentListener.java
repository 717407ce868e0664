package dev.shelf.agent;

import dev.shelf.agent.emit.ClassRewriter;

import java.nio.file.Path;

/**
 * What the transformer reports as classes go through it, in the manner of Byte Buddy's {@code AgentBuilder.Listener}:
 * one interface for every warning and explain-mode line of the pass, so that the pass itself only decides and
 * rewrites. The default, {@link ShelfLogListener}, prints to standard error through {@code ShelfLog}.
 */
public interface AgentListener {

    /**
     * A class was rewritten (or its kept form taken): its sites (objects and arrays), the strategy that wrote it and
     * why cheaper ones declined, what reuse keeps of a pooled class, the sites left as plain allocations, and what a
     * site's annotation asked for that was ignored ({@link ClassRewriter.Result#notes()}).
     *
     * @param className internal name
     * @param result    what the rewrite produced
     */
    void onRewritten(String className, ClassRewriter.Result result);

    /**
     * A class could not be rewritten: it loads unchanged.
     *
     * @param className internal name
     * @param error     what went wrong
     */
    void onError(String className, Throwable error);

    /**
     * A pooled class's own allocation sites could not be rewritten: it gets its pooled members all the same.
     *
     * @param className internal name
     * @param error     what went wrong
     */
    void onSitesNotRewritten(String className, Throwable error);

    /**
     * A class loader overriding {@code loadClass} was made to answer {@code dev.shelf.*} with the agent's runtime.
     *
     * @param className internal name of the loader class
     */
    void onLoaderHooked(String className);

    /**
     * A class loader could not be made to answer {@code dev.shelf.*} with the agent's runtime.
     *
     * @param className internal name of the loader class
     * @param error     what went wrong
     */
    void onLoaderNotHooked(String className, Throwable error);

    /**
     * A rewritten class could not be written to {@code shelf.dump.dir}.
     *
     * @param dir   the directory
     * @param error what went wrong
     */
    void onDumpFailed(Path dir, Exception error);
}
