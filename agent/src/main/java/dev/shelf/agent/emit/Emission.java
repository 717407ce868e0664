package dev.shelf.agent.emit;

/**
 * What one {@link EmitStrategy} made of a class: the rewritten class, or a decline with the reason the strategy
 * leaves the class to the next one. Explain mode prints the reasons, so that a class that took a slower way out says
 * why.
 *
 * <p>Plain final classes rather than records: on the start-up path nothing here may link an {@code invokedynamic}
 * (a record's {@code equals}/{@code toString} do).
 */
public sealed interface Emission permits Emission.Written, Emission.Declined {

    /** The strategy wrote the class. */
    final class Written implements Emission {

        private final ClassRewriter.Result result;

        Written(ClassRewriter.Result result) {
            this.result = result;
        }

        /** Returns the rewritten class. */
        public ClassRewriter.Result result() {
            return result;
        }
    }

    /** The strategy leaves the class to the next one. */
    final class Declined implements Emission {

        private final String reason;

        Declined(String reason) {
            this.reason = reason;
        }

        /** Returns why, for a person reading explain mode: "strict mode: every method's field accesses are checked". */
        public String reason() {
            return reason;
        }
    }
}
