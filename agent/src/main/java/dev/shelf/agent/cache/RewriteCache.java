package dev.shelf.agent.cache;

import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.emit.SiteRewriter;
import dev.shelf.agent.plan.SiteNumbers;
import dev.shelf.agent.report.ShelfLog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * {@code shelf.cache.dir}: the agent's output kept across runs, so that a warm start rewrites nothing.
 *
 * <p>Why: on an application's start-up the agent's cost is dominated by its first rewrites — ASM and Shelf's
 * generators loaded, verified and run in the interpreter for the first pooled class and the first classes that
 * allocate it — not by the scan that lets every other class through. The result of those rewrites is a pure function
 * of inputs the agent can check cheaply, so it is kept on disk, like class data sharing keeps the JVM's parsed
 * classes. Two kinds of entries, the two expensive steps:
 * <ul>
 *   <li>a <b>pooled class</b>: its {@link PoolDecision.Accepted} and the class file with its generated members. Kept
 *       when the decision depended on nothing but the class's own bytes and, for a pooled superclass, that class's
 *       decision (kept with it, compared on use), and the generation looked up no application type;</li>
 *   <li>a <b>class with rewritten sites</b> (pooled itself or not): the rewritten class file and its sites. Kept
 *       together with the decisions about the class and every class it constructs ({@link #decisionsKey}); a hit
 *       requires the same decisions in this run. Kept only when the rewrite looked up no application type for
 *       frames (JDK types are fixed by the JDK, which is part of the fingerprint).</li>
 * </ul>
 *
 * <p>An entry is never trusted by name: it holds the original class file and is used only when the bytes the JVM
 * hands over are identical, the agent build and the configuration that shape rewriting are the same
 * ({@code fingerprint}: with the JDK's version) and its checksum is intact. Site numbers are per run (they depend on
 * the order classes load in), so a kept class's sites are registered again: a class patched in place gets this run's
 * numbers written into a copy of the kept bytes, one written by ASM is taken only if its numbers come out the same
 * ({@link #sites}). Either way the result is byte for byte what a fresh rewrite in this run would have produced
 * ({@code RewriteCacheTest}, {@code WarmStartTest}). Anything else — a missing, stale,
 * truncated or foreign file — is a miss, and the class is rewritten as without a cache and the entry replaced.
 *
 * <p>Entries are written to a temporary file and renamed into place, so JVMs sharing the directory never read half
 * an entry; a directory this process cannot write to (a cache baked into a read-only image) is only read. Whoever
 * can write to the directory can change the application's code, exactly as with a class path directory: the
 * configuration refuses a directory other users may write to. Nothing is ever removed: an entry is replaced when its
 * class is rewritten again.
 */
public final class RewriteCache {

    private static final int MAGIC = 0x53484C46; // "SHLF"
    private static final int FORMAT = 3;
    private static final byte POOLED = 'P';
    private static final byte SITES = 'S';
    private static final int SIPUSH = 17;
    private static final AtomicInteger TEMP = new AtomicInteger();

    private final File dir;
    private final String fingerprint;
    private final String jdkTag;
    private final boolean readOnly;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger stores = new AtomicInteger();

    /**
     * @param dir         the directory, which exists; if this process cannot write to it, entries are only read
     * @param fingerprint what else the agent's output depends on: the agent build and the configuration keys that
     *                    shape rewriting (the JDK's version is added here); an entry written under another
     *                    fingerprint is a miss
     */
    public RewriteCache(File dir, String fingerprint) {
        this(dir, fingerprint, System.getProperty("java.runtime.version"), !dir.canWrite());
    }

    /**
     * @param dir         the directory, which exists
     * @param fingerprint the agent build and the settings that shape rewriting
     * @param jdk         the JDK's version: frames may depend on its types' hierarchy. Part of the fingerprint and of
     *                    the file names, so that JDKs sharing a directory keep their own entries
     * @param readOnly    use the entries, write none (a cache baked into a read-only image)
     */
    RewriteCache(File dir, String fingerprint, String jdk, boolean readOnly) {
        this.dir = dir;
        this.fingerprint = fingerprint + "|jdk=" + jdk;
        this.jdkTag = Integer.toHexString(jdk == null ? 0 : jdk.hashCode());
        this.readOnly = readOnly;
    }

    /** Returns whether entries are only read, never written. */
    public boolean readOnly() {
        return readOnly;
    }

    /**
     * A pooled class as kept: its decision and its class file with the pooled members.
     *
     * @param plan      the decision
     * @param parentKey the decision about its pooled superclass it was made under ({@link #describe}), or empty when
     *                  its superclass is {@code Object}
     * @param rewritten the class file with its generated members
     */
    @SuppressWarnings("ArrayRecordComponent") // a value handed on, never compared or hashed as a whole
    public record Pooled(PoolDecision.Accepted plan, String parentKey, byte[] rewritten) {
    }

    /** Returns the directory. */
    public File directory() {
        return dir;
    }

    /**
     * Says once that an entry could not be written; the class is rewritten all the same.
     *
     * @param e what went wrong
     */
    public void notWritten(Exception e) {
        ShelfLog.warnOnce("cache:" + directory(), "cannot write to shelf.cache.dir " + directory() + " (" + e
                + "); classes are still rewritten, just not kept for the next start");
    }

    /** Returns entries used so far. */
    public int hits() {
        return hits.get();
    }

    /** Returns entries written so far. */
    public int stores() {
        return stores.get();
    }

    /**
     * The kept form of a pooled class.
     *
     * @param internalName the class
     * @param original     its class file as it is now
     * @param decisions    decides about its superclass, when that is pooled: the kept entry holds only for the same
     *                     decision about it
     * @return the kept decision and class file, or {@code null} on a miss
     */
    public @Nullable Pooled pooled(String internalName, byte[] original, Decisions decisions) {
        DataInputStream in = open(POOLED, internalName, original);
        if (in == null) {
            return null;
        }
        try {
            String superName = in.readUTF();
            boolean superPooled = in.readBoolean();
            boolean instantiable = in.readBoolean();
            int n = in.readInt();
            List<String> ctors = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ctors.add(in.readUTF());
            }
            int maxPerThread = in.readInt();
            int maxShared = in.readInt();
            boolean methodScoped = in.readBoolean();
            String parentKey = in.readUTF();
            byte[] rewritten = readBytes(in);
            if (superPooled ? !parentKey.equals(describe(decisions.decide(superName))) : !parentKey.isEmpty()) {
                return null;
            }
            hits.incrementAndGet();
            return new Pooled(new PoolDecision.Accepted(internalName, superName, superPooled, instantiable, ctors,
                    maxPerThread, maxShared, methodScoped), parentKey, rewritten);
        } catch (IOException | RuntimeException e) {
            return null; // the checksum held but the layout did not: written by a different format, a miss
        }
    }

    /**
     * Keeps a pooled class.
     *
     * @param original  its class file
     * @param plan      the decision made from it
     * @param parentKey the decision about its pooled superclass ({@link #describe}), or empty for {@code Object}
     * @param rewritten the class file with its generated members
     * @throws IOException when the entry cannot be written
     */
    public void storePooled(byte[] original, PoolDecision.Accepted plan, String parentKey, byte[] rewritten)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(original.length + rewritten.length + 256);
        DataOutputStream out = header(buf, POOLED, plan.internalName(), original);
        out.writeUTF(plan.superName());
        out.writeBoolean(plan.superPooled());
        out.writeBoolean(plan.instantiable());
        out.writeInt(plan.constructorDescs().size());
        for (String d : plan.constructorDescs()) {
            out.writeUTF(d);
        }
        out.writeInt(plan.maxPerThread());
        out.writeInt(plan.maxShared());
        out.writeBoolean(plan.methodScoped());
        out.writeUTF(parentKey);
        writeBytes(out, rewritten);
        write(POOLED, plan.internalName(), buf, out);
    }

    /**
     * The kept form of a class with rewritten sites, numbered for this run.
     *
     * <p>Site numbers depend on the order classes load in. Where the kept class was patched in place, the offset of
     * each site's number is known and this run's number is written there. Where it was written by ASM (sites that
     * needed the data-flow pairing, a pooled class's own sites), the numbers sit wherever ASM put them — once per site
     * and again in a re-initialiser copied from a constructor — so such an entry is taken only when every site gets
     * the same number in this run as when it was kept: the usual case for an application that starts its classes in
     * the same order each time; otherwise it is a miss.
     *
     * @param internalName the class
     * @param original     its class file as it is now
     * @param decisionsKey the decisions the rewrite depends on, as they are in this run ({@link #decisionsKey})
     * @param decisions    asked to promise each pooled class the sites call its factory (see
     *                     {@link Decisions#promise}); a class that cannot be promised makes it a miss
     * @param numbers      numbers the sites in this run
     * @return the rewrite's result, or {@code null} on a miss
     */
    public ClassRewriter.@Nullable Result sites(String internalName, byte[] original, String decisionsKey,
                                                Decisions decisions, SiteNumbers numbers) {
        DataInputStream in = open(SITES, internalName, original);
        if (in == null) {
            return null;
        }
        try {
            if (!in.readUTF().equals(decisionsKey)) {
                return null;
            }
            boolean inPlace = in.readBoolean();
            int methods = in.readInt();
            List<ClassRewriter.MethodSites> kept = new ArrayList<>(methods);
            List<Integer> numberAt = new ArrayList<>();
            for (int m = 0; m < methods; m++) {
                String method = in.readUTF();
                int n = in.readInt();
                List<SiteRewriter.Rewritten> done = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    String type = in.readUTF();
                    int line = in.readInt();
                    boolean scoped = in.readBoolean();
                    String site = in.readUTF();
                    int number = in.readInt();
                    if (inPlace) {
                        numberAt.add(in.readInt());
                    }
                    done.add(new SiteRewriter.Rewritten(type, line, scoped, site, number));
                }
                kept.add(new ClassRewriter.MethodSites(method, done));
            }
            int skippedCount = in.readInt();
            List<String> skipped = new ArrayList<>(skippedCount);
            for (int k = 0; k < skippedCount; k++) {
                skipped.add(in.readUTF());
            }
            int noteCount = in.readInt();
            List<String> notes = new ArrayList<>(noteCount);
            for (int k = 0; k < noteCount; k++) {
                notes.add(in.readUTF());
            }
            byte[] bytes = readBytes(in);
            // This run's numbers, and the promise that each pooled class gets its factories: as the rewrite does.
            int[] at = inPlace ? new int[numberAt.size()] : null;
            int k = 0;
            List<ClassRewriter.MethodSites> numbered = new ArrayList<>(methods);
            for (ClassRewriter.MethodSites m : kept) {
                List<SiteRewriter.Rewritten> done = new ArrayList<>(m.sites().size());
                for (SiteRewriter.Rewritten s : m.sites()) {
                    if (!s.array() && !decisions.promise(s.type())) { // an array site depends on no class
                        return null;
                    }
                    int number = numbers.number(s.type(), s.site());
                    if (at != null) { // in place
                        int offset = numberAt.get(k);
                        if (number < 0 || number > Short.MAX_VALUE || offset < 1 || offset + 2 > bytes.length
                                || (bytes[offset - 1] & 0xFF) != SIPUSH) {
                            return null;
                        }
                        bytes[offset] = (byte) (number >>> 8);
                        bytes[offset + 1] = (byte) number;
                        at[k++] = offset;
                    } else if (number != s.number()) {
                        return null; // numbered differently in this run: the bytes cannot say so
                    }
                    done.add(new SiteRewriter.Rewritten(s.type(), s.line(), s.scoped(), s.site(), number));
                }
                numbered.add(new ClassRewriter.MethodSites(m.method(), done));
            }
            hits.incrementAndGet();
            return new ClassRewriter.Result(bytes, numbered, skipped, at, List.of(), notes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Keeps a class with rewritten sites.
     *
     * @param internalName the class
     * @param original     its class file
     * @param decisionsKey the decisions the rewrite depended on ({@link #decisionsKey})
     * @param result       the rewrite; its {@link ClassRewriter.Result#numberAt()} says whether it was patched in
     *                     place
     * @throws IOException when the entry cannot be written
     */
    public void storeSites(String internalName, byte[] original, String decisionsKey, ClassRewriter.Result result)
            throws IOException {
        int[] at = result.numberAt();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(original.length + result.bytes().length + 512);
        DataOutputStream out = header(buf, SITES, internalName, original);
        out.writeUTF(decisionsKey);
        out.writeBoolean(at != null);
        out.writeInt(result.sites().size());
        int k = 0;
        for (ClassRewriter.MethodSites m : result.sites()) {
            out.writeUTF(m.method());
            out.writeInt(m.sites().size());
            for (SiteRewriter.Rewritten s : m.sites()) {
                out.writeUTF(s.type());
                out.writeInt(s.line());
                out.writeBoolean(s.scoped());
                out.writeUTF(s.site());
                out.writeInt(s.number());
                if (at != null) {
                    if (k >= at.length) {
                        throw new IllegalArgumentException("the rewrite of " + internalName + " has more sites than "
                                + "site numbers in its bytes");
                    }
                    out.writeInt(at[k++]);
                }
            }
        }
        if (at != null && k != at.length) {
            throw new IllegalArgumentException("the rewrite of " + internalName + " has " + k + " sites but "
                    + at.length + " site numbers in its bytes");
        }
        out.writeInt(result.skipped().size());
        for (String s : result.skipped()) {
            out.writeUTF(s);
        }
        out.writeInt(result.notes().size());
        for (String s : result.notes()) {
            out.writeUTF(s);
        }
        writeBytes(out, result.bytes());
        write(SITES, internalName, buf, out);
    }

    /**
     * The decisions a class's rewrite depends on, as one comparable string: the decision about the class itself, and
     * for every class it constructs, in constant-pool order, whether and how that class is pooled.
     *
     * @param self      the decision about the class itself
     * @param owners    the classes it constructs
     * @param decisions where the decisions come from
     * @return the key
     */
    public static String decisionsKey(PoolDecision self, List<String> owners, Decisions decisions) {
        StringBuilder key = new StringBuilder("self=");
        describe(self, key);
        List<String> seen = new ArrayList<>(owners.size());
        for (String owner : owners) {
            if (ShelfNames.isPlatformOrShelf(owner) || seen.contains(owner)) {
                continue;
            }
            seen.add(owner);
            key.append(owner).append('=');
            describe(decisions.decide(owner), key);
        }
        return key.toString();
    }

    /**
     * A decision as a comparable string.
     *
     * @param d a decision
     * @return what it says, every component included
     */
    public static String describe(PoolDecision d) {
        StringBuilder key = new StringBuilder();
        describe(d, key);
        return key.toString();
    }

    /** Not the record's toString(): that is linked through invokedynamic on first use, at start-up. */
    private static void describe(PoolDecision d, StringBuilder key) {
        if (d instanceof PoolDecision.Accepted a) {
            key.append("pooled:").append(a.superName()).append(':').append(a.superPooled()).append(':')
                    .append(a.instantiable()).append(':').append(a.maxPerThread()).append(':')
                    .append(a.maxShared()).append(':').append(a.methodScoped());
            for (String c : a.constructorDescs()) {
                key.append(':').append(c);
            }
        } else {
            key.append(d instanceof PoolDecision.Refused ? "refused" : "-");
        }
        key.append(';');
    }

    /** The entry's file: readable for an operator, unique per kind, class name and JDK. */
    File file(byte kind, String internalName) {
        String readable = internalName.replace('/', '.');
        if (readable.length() > 120) {
            readable = readable.substring(readable.length() - 120);
        }
        StringBuilder safe = new StringBuilder(readable.length());
        for (int i = 0; i < readable.length(); i++) {
            char c = readable.charAt(i);
            safe.append(Character.isLetterOrDigit(c) || c == '.' || c == '$' || c == '_' || c == '-' ? c : '_');
        }
        return new File(dir, safe + "-" + Integer.toHexString(internalName.hashCode()) + "-" + jdkTag
                + (kind == POOLED ? ".pooled" : ".sites"));
    }

    /**
     * Reads an entry and checks everything but its kind-specific body: checksum, format, fingerprint, kind, name and
     * the original bytes.
     *
     * @return a stream positioned at the body, or {@code null} on a miss
     */
    private @Nullable DataInputStream open(byte kind, String internalName, byte[] original) {
        File f = file(kind, internalName);
        byte[] entry;
        try (FileInputStream in = new FileInputStream(f)) {
            entry = in.readAllBytes();
        } catch (IOException | SecurityException e) {
            return null; // usually: not there yet
        }
        if (entry.length < 16) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(entry, 0, entry.length - 8);
        long stored = 0;
        for (int i = entry.length - 8; i < entry.length; i++) {
            stored = (stored << 8) | (entry[i] & 0xFF);
        }
        if (stored != crc.getValue()) {
            return null;
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry, 0, entry.length - 8));
        try {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || !in.readUTF().equals(fingerprint)
                    || in.readByte() != kind || !in.readUTF().equals(internalName)
                    || !Arrays.equals(readBytes(in), original)) {
                return null;
            }
            return in;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private DataOutputStream header(ByteArrayOutputStream buf, byte kind, String internalName, byte[] original)
            throws IOException {
        DataOutputStream out = new DataOutputStream(buf);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(fingerprint);
        out.writeByte(kind);
        out.writeUTF(internalName);
        writeBytes(out, original);
        return out;
    }

    /** Appends the checksum and moves the entry into place in one rename, so that no reader sees half of it. */
    private void write(byte kind, String internalName, ByteArrayOutputStream buf, DataOutputStream out)
            throws IOException {
        if (readOnly) {
            return;
        }
        out.flush();
        CRC32 crc = new CRC32();
        byte[] body = buf.toByteArray();
        crc.update(body, 0, body.length);
        out.writeLong(crc.getValue());
        out.flush();
        File target = file(kind, internalName);
        File temp = new File(dir, target.getName() + ".tmp" + Long.toHexString(System.nanoTime())
                + "-" + TEMP.incrementAndGet());
        try (FileOutputStream fos = new FileOutputStream(temp)) {
            buf.writeTo(fos);
        }
        if (!temp.renameTo(target)) {
            temp.delete();
            throw new IOException("cannot move " + temp + " to " + target);
        }
        stores.incrementAndGet();
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("entry shorter than it says");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
