package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Every primitive type, some with initialisers and some left to the JVM's zero. */
@Pooled
public class Primitives {
    boolean z = true;
    byte b = 3;
    short s = -4;
    char c = 'x';
    int i = 42;
    long j = 1L << 40;
    float f = 2.5f;
    double d = -0.125;
    boolean zz;
    byte bb;
    short ss;
    char cc;
    int ii;
    long jj;
    float ff;
    double dd;
}
