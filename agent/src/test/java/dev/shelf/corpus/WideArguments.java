package dev.shelf.corpus;

import dev.shelf.Pooled;

/** long and double arguments interleaved with narrow ones: slot arithmetic must be right. */
@Pooled
public class WideArguments {
    long a;
    int b;
    double c;
    long d;
    char e;
    float f;

    public WideArguments(long a, int b, double c, long d, char e, float f) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
        this.e = e;
        this.f = f;
    }
}
