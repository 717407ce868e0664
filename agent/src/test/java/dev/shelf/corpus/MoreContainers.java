package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.PriorityQueue;
import java.util.TreeMap;

/** Every kind of owned container, filled by the constructor. */
@Pooled
public class MoreContainers {
    private final ArrayDeque<String> deque = new ArrayDeque<>(8);
    private final BitSet bits = new BitSet(64);
    private final LinkedHashMap<String, Integer> ordered = new LinkedHashMap<>();
    private final LinkedList<Integer> linked = new LinkedList<>();
    private final PriorityQueue<Integer> heap = new PriorityQueue<>();
    private final TreeMap<String, String> sorted = new TreeMap<>();
    private final char[] chars = new char[16];
    private final boolean[] flags = new boolean[3];

    public MoreContainers(int seed) {
        deque.add("d" + seed);
        bits.set(seed % 64);
        ordered.put("k" + seed, seed);
        linked.add(seed);
        heap.add(seed);
        sorted.put("s", "v" + seed);
        chars[0] = (char) ('a' + seed % 26);
        flags[seed % 3] = true;
    }
}
