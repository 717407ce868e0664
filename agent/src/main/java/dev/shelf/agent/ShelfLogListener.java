package dev.shelf.agent;

import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.emit.SiteRewriter;
import dev.shelf.agent.report.ShelfLog;

import java.nio.file.Path;

/** The default {@link AgentListener}: warnings once per subject, explain lines when {@code shelf.explain} is on. */
public final class ShelfLogListener implements AgentListener {

    /** The one instance: it holds no state of its own. */
    public static final ShelfLogListener INSTANCE = new ShelfLogListener();

    private ShelfLogListener() {
    }

    @Override
    public void onRewritten(String className, ClassRewriter.Result result) {
        String dotted = className.replace('/', '.');
        for (String skipped : result.skipped()) {
            ShelfLog.warnOnce(dotted + ":" + skipped, "in " + dotted + ", new " + skipped + "; that site allocates "
                    + "as usual");
        }
        for (String note : result.notes()) {
            ShelfLog.warnOnce(dotted + ":" + note, "in " + dotted + ", new " + note);
        }
        if (!ShelfLog.explaining()) {
            return;
        }
        if (result.emittedBy() != null) {
            StringBuilder how = new StringBuilder(dotted).append(": written by ").append(result.emittedBy());
            for (String declined : result.declined()) {
                how.append("; ").append(declined);
            }
            ShelfLog.explain(how.toString());
        }
        for (String field : result.ownership()) {
            ShelfLog.explain("  " + dotted + "." + field);
        }
        for (ClassRewriter.MethodSites m : result.sites()) {
            StringBuilder line = new StringBuilder("rewrote ").append(dotted).append('.').append(m.method())
                    .append(':');
            for (SiteRewriter.Rewritten s : m.sites()) {
                line.append(s.array() ? " new @Pooled " : " new ").append(s.type().replace('/', '.'))
                        .append(" (line ").append(s.line())
                        .append(s.scoped() ? ", released at method exit)" : ")");
            }
            ShelfLog.explain(line.toString());
        }
    }

    @Override
    public void onError(String className, Throwable error) {
        ShelfLog.warnOnce(className, "could not rewrite " + className.replace('/', '.') + " (" + error
                + "); it is loaded unchanged and its allocations are not pooled");
    }

    @Override
    public void onSitesNotRewritten(String className, Throwable error) {
        ShelfLog.warnOnce(className, "could not rewrite the allocation sites in " + className.replace('/', '.')
                + " (" + error + "); they allocate as usual");
    }

    @Override
    public void onLoaderHooked(String className) {
        ShelfLog.explain("class loader " + className.replace('/', '.') + " answers dev.shelf.* with the agent's pool "
                + "runtime");
    }

    @Override
    public void onLoaderNotHooked(String className, Throwable error) {
        ShelfLog.warnOnce("loader:" + className, "could not make class loader " + className.replace('/', '.')
                + " use the agent's pool runtime (" + error + "); classes it loads itself may see another copy of "
                + "dev.shelf.* and not be pooled");
    }

    @Override
    public void onDumpFailed(Path dir, Exception error) {
        ShelfLog.warnOnce("dump:" + dir, "cannot write rewritten classes to shelf.dump.dir " + dir + " (" + error
                + "); classes are still rewritten, just not written out");
    }
}
