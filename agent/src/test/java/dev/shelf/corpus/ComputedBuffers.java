package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.PriorityQueue;

/**
 * Owned arrays and containers whose length or capacity is computed: from a static field set by configuration, from
 * a constructor argument, from a field assigned earlier, from a method call, and arithmetic on them. The
 * re-initialiser must compute each exactly as the constructor does, keep what has that very length, and allocate
 * what does not.
 */
@Pooled
public class ComputedBuffers {

    /** Not final: a size read from configuration when the class initialises. */
    static int size = Integer.getInteger("shelf.corpus.computedSize", 40);

    private final byte[] body = new byte[size];
    private final int[] ints = new int[size / 4 + 1];
    private final double[] doubles = new double[Math.max(2, size >> 3)];
    private final boolean[] flags = new boolean[3];
    private final char[] chars;
    private final long[] longs;
    private final short[] shorts;
    private final float[] floats;
    private final StringBuilder text;
    private final ArrayList<String> list;
    private final HashMap<String, Integer> map = new HashMap<>(size * 2);
    private final ArrayDeque<Integer> deque;
    private final PriorityQueue<Integer> queue;
    private int length;

    public ComputedBuffers(int n) {
        chars = new char[n];
        longs = new long[n * 2 + 1];
        shorts = new short[size + n];
        floats = new float[this.ints.length];
        text = new StringBuilder(n + 16);
        list = new ArrayList<>(n);
        deque = new ArrayDeque<>(n - 1);
        queue = new PriorityQueue<>(n);
        length = n;
    }

    /** Writes into everything, as a request would. */
    public void fill() {
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i + 1);
        }
        java.util.Arrays.fill(chars, 'x');
        java.util.Arrays.fill(longs, 7L);
        java.util.Arrays.fill(shorts, (short) 3);
        java.util.Arrays.fill(floats, 1.5f);
        java.util.Arrays.fill(ints, -1);
        java.util.Arrays.fill(doubles, 2.5);
        flags[1] = true;
        text.append("filled");
        list.add("a");
        map.put("k", 1);
        deque.add(4);
        queue.add(5);
    }

    public byte[] body() {
        return body;
    }

    public char[] chars() {
        return chars;
    }

    public long[] longs() {
        return longs;
    }

    public ArrayList<String> list() {
        return list;
    }

    public StringBuilder text() {
        return text;
    }

    public int length() {
        return length;
    }
}
