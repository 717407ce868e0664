package dev.shelf.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link SameThread} on one thread. */
@Threads(1)
public class OneThread extends SameThread {
}
