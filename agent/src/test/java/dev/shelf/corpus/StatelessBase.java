package dev.shelf.corpus;

/** Not pooled, but has no instance state and a constructor that does nothing: a subclass can still be pooled. */
public abstract class StatelessBase {
    /** @return something derived, to show the class has behaviour but no state */
    public String describe() {
        return getClass().getSimpleName();
    }
}
