package dev.shelf.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link SameThread} on two threads at once (this machine's core count), each with its own objects. */
@Threads(2)
public class TwoThreads extends SameThread {
}
