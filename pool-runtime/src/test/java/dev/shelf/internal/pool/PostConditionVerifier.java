package dev.shelf.internal.pool;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.ResultWithClock;
import org.jetbrains.kotlinx.lincheck.util.ExceptionResult;
import org.jetbrains.kotlinx.lincheck.util.LincheckResult;
import org.jetbrains.lincheck.datastructures.verifier.Verifier;

import java.util.List;

/**
 * A Lincheck verifier for tests of code that is not linearizable by design (a pool may drop or miss whenever a race
 * makes it cheaper): an execution is correct when no operation threw. The operations check their own post-conditions
 * and throw {@link AssertionError} when one does not hold; the test's {@code @Validate} method checks what must hold
 * once every thread is done. Lincheck then reports the interleaving that made an operation throw.
 */
public final class PostConditionVerifier implements Verifier {

    /** @param sequentialSpecification unused: nothing is compared with a sequential run */
    public PostConditionVerifier(Class<?> sequentialSpecification) {
    }

    @Override
    public boolean verifyResults(ExecutionScenario scenario, ExecutionResult results) {
        if (threw(results.getInitResults()) || threw(results.getPostResults())) {
            return false;
        }
        for (List<ResultWithClock> thread : results.getParallelResultsWithClock()) {
            for (ResultWithClock r : thread) {
                if (r.getResult() instanceof ExceptionResult) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean threw(List<LincheckResult> results) {
        for (LincheckResult r : results) {
            if (r instanceof ExceptionResult) {
                return true;
            }
        }
        return false;
    }
}
