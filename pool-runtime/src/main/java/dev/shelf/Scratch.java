package dev.shelf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an owned primitive array of a {@link Pooled} class as scratch space: the program always writes what it reads
 * (Go's {@code buf[:0]} idiom), so a reuse keeps the array <em>without zeroing it</em>.
 *
 * <pre>{@code
 * @Pooled
 * class Request {
 *     @Scratch private final byte[] body = new byte[256 * 1024];   // filled from the socket before it is read
 *     int length;
 * }
 * }</pre>
 *
 * <p>This is the one documented exception to "a reused object is indistinguishable from a fresh one": a reused
 * scratch array holds whatever the previous holder left in it. It pays where zeroing is a real part of the cost (big
 * buffers that each request fills only in part). It applies only to fields the object owns (made by every
 * constructor before any branch, and {@code final} or {@code private} and assigned only there); on any other field
 * the agent ignores it and says so.
 *
 * <p>In {@code shelf.mode=strict} every reuse fills scratch arrays with a poison pattern ({@code 0xA5} bytes, and
 * the same bit pattern for wider types) instead, so that a read of bytes the program did not write first shows up in
 * tests as visibly wrong data. Without the agent the annotation does nothing.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Scratch {
}
