package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.Comparator;
import java.util.function.IntSupplier;

/** Field initialisers that capture {@code this}: a lambda and an anonymous class. */
@Pooled
public class Callbacks {
    int base = 10;
    final IntSupplier doubled = () -> base * 2;
    final Comparator<String> byLength = new Comparator<>() {
        @Override
        public int compare(String a, String b) {
            return Integer.compare(a.length() + base, b.length() + base);
        }
    };

    /** @return the lambda's view of this object */
    public int doubled() {
        return doubled.getAsInt();
    }
}
