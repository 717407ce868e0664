package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** A constructor that calls private and static helpers, with try/finally and a synchronized block. */
@Pooled
public class CallsMethods {
    private final List<String> steps = new ArrayList<>();
    private final Object lock = new Object();
    String result;

    public CallsMethods(String input) {
        try {
            step("start");
            synchronized (lock) {
                result = normalise(input);
            }
        } finally {
            step("finally");
        }
    }

    private void step(String s) {
        steps.add(s);
    }

    private static String normalise(String s) {
        return s == null ? "<null>" : s.trim().toLowerCase();
    }
}
