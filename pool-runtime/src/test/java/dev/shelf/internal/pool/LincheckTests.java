package dev.shelf.internal.pool;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Validate;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the Lincheck tests ({@code *LincheckTest}) share. */
final class LincheckTests {

    private LincheckTests() {
    }

    /**
     * Model checking of {@code threads} threads of {@code actorsPerThread} random operations each, over
     * {@code iterations} random scenarios (after the test's hand-written ones) of up to {@code invocations}
     * interleavings each. {@code -Dshelf.lincheck.scale=N} multiplies both for a deeper run by hand.
     */
    static ModelCheckingOptions modelChecking(int threads, int actorsPerThread, int iterations, int invocations) {
        int scale = Math.max(1, Integer.getInteger("shelf.lincheck.scale", 1));
        return new ModelCheckingOptions()
                .threads(threads)
                .actorsPerThread(actorsPerThread)
                .iterations(iterations * scale)
                .invocationsPerIteration(invocations * scale)
                .addGuarantee(ManagedStrategyGuaranteeKt.forClasses(LincheckTests::outsideTheArgument)
                        .allMethods().ignore());
    }

    /**
     * Classes whose code is no part of any concurrency argument under test (statistics, site names, size estimates by
     * reflection, the list of pools, the observers: JFR events, warnings): Lincheck runs them without switching threads
     * inside, which keeps a test in seconds.
     */
    static boolean outsideTheArgument(String className) {
        return className.startsWith("dev.shelf.ShelfStats")
                || className.equals("dev.shelf.internal.Sites")
                || className.startsWith("dev.shelf.internal.pool.SiteCounts")
                || className.equals("dev.shelf.internal.pool.SizeEstimate")
                || className.equals("dev.shelf.internal.pool.Pools")
                || className.startsWith("dev.shelf.internal.observe.");
    }

    /**
     * A hand-written scenario, run before the random ones: the race a class comment argues about, set up on
     * purpose. Operations are named as the test class's {@code @Operation} methods; the test's {@code @Validate}
     * method runs after each invocation as it does after random scenarios.
     */
    static final class Scenario {
        private final Class<?> test;
        private final List<Actor> initial = new ArrayList<>();
        private final List<List<Actor>> parallel = new ArrayList<>();
        private final List<Actor> post = new ArrayList<>();

        Scenario(Class<?> test) {
            this.test = test;
        }

        /** Adds an operation to the initial part, which runs on the first thread before the others start. */
        Scenario initially(String operation, Object... arguments) {
            initial.add(actor(operation, arguments));
            return this;
        }

        /** Adds an operation to parallel thread {@code thread} (1, 2, ...). */
        Scenario on(int thread, String operation, Object... arguments) {
            while (parallel.size() < thread) {
                parallel.add(new ArrayList<>());
            }
            parallel.get(thread - 1).add(actor(operation, arguments));
            return this;
        }

        /** Adds an operation to the final part, which runs on the first thread once the others are done. */
        Scenario then(String operation, Object... arguments) {
            post.add(actor(operation, arguments));
            return this;
        }

        ExecutionScenario build() {
            Actor validation = null;
            for (Method m : test.getMethods()) {
                if (m.isAnnotationPresent(Validate.class)) {
                    validation = new Actor(m, List.of());
                }
            }
            return new ExecutionScenario(initial, parallel, post, validation);
        }

        private Actor actor(String operation, Object... arguments) {
            for (Method m : test.getMethods()) {
                if (m.getName().equals(operation) && m.getParameterCount() == arguments.length) {
                    return new Actor(m, Arrays.asList(arguments));
                }
            }
            throw new IllegalArgumentException(test.getSimpleName() + " has no operation " + operation + " of "
                    + arguments.length + " arguments");
        }
    }
}
