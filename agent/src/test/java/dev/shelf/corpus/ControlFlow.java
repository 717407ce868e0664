package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** Loops, a switch and a try/catch inside the constructor. */
@Pooled
public class ControlFlow {
    final List<String> parts = new ArrayList<>();
    int parsed;
    String mode;
    long sum;

    public ControlFlow(String csv, int kind) {
        for (String p : csv.split(",")) {
            parts.add(p);
            try {
                parsed += Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                parts.add("!" + p);
            }
        }
        switch (kind) {
            case 0 -> mode = "zero";
            case 1 -> mode = "one";
            default -> mode = "many:" + kind;
        }
        for (long i = 0; i < parts.size(); i++) {
            sum += i * 3;
        }
    }
}
