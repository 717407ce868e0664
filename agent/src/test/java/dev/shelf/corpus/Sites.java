package dev.shelf.corpus;

import java.util.function.Supplier;

/**
 * Allocation sites, one per shape of code that can contain a {@code new}. Each is a plain {@code new} in source;
 * under Shelf each must come from the pool. All are straight-line, so the agent patches this class in place; sites
 * that need the data-flow pairing are in {@link BranchySites}.
 */
public final class Sites {

    /** Made by the static initialiser: a site in {@code <clinit>}. */
    public static final Primitives STATIC_ONE = new Primitives();

    private static final Maker MAKER = new Maker() {
    };

    private Sites() {
    }

    public static Primitives primitives() {
        return new Primitives();
    }

    public static References references() {
        return new References();
    }

    public static InitBlocks initBlocks() {
        return new InitBlocks();
    }

    public static WithArguments withArguments(long id, double price, int qty, Object owner) {
        return new WithArguments(id, price, qty, owner);
    }

    public static Delegating delegating() {
        return new Delegating();
    }

    public static Delegating delegating(long id) {
        return new Delegating(id);
    }

    public static Delegating delegating(long id, double discount) {
        return new Delegating(id, discount);
    }

    public static PooledChild child(long id) {
        return new PooledChild(id);
    }

    public static Outer.Inner inner(Outer outer) {
        return outer.new Inner();
    }

    public static Generic<String> generic(String first) {
        return new Generic<>(first);
    }

    public static ControlFlow controlFlow(String csv, int kind) {
        return new ControlFlow(csv, kind);
    }

    public static Counting counting() {
        return new Counting();
    }

    public static Throwing throwing(int value) {
        return new Throwing(value);
    }

    public static SharedCapacities.ThreeShared threeShared() {
        return new SharedCapacities.ThreeShared();
    }

    public static ChildOfPlain childOfPlain() {
        return new ChildOfPlain();
    }

    public static PooledRecord record() {
        return new PooledRecord(1, "b");
    }

    /** A pooled object made inside another constructor's arguments, nested twice. */
    public static Holder nested() {
        return new Holder(new Primitives(), new Holder(new References(), null));
    }

    /** A site inside a lambda body. */
    public static Supplier<Primitives> lambda() {
        return () -> new Primitives();
    }

    /** Sites in a loop with long and double locals live across the allocation. */
    public static double loop(int n) {
        long acc = 0;
        double scale = 1.5;
        for (int i = 0; i < n; i++) {
            WithArguments w = new WithArguments(i, scale, 2, null);
            acc += w.total + w.id;
            dev.shelf.Shelf.release(w);
        }
        return acc * scale;
    }

    /** A site inside a switch expression. */
    public static Object switchExpression(int k) {
        return switch (k) {
            case 0 -> new Primitives();
            case 1 -> new References();
            default -> "none";
        };
    }

    public static OwnedBuffers ownedBuffers() {
        return new OwnedBuffers();
    }

    public static NotOwned notOwned() {
        return new NotOwned();
    }

    /**
     * The founding example's loop: allocate a request object, fill it, release it.
     *
     * @param n how many requests
     * @return the total token count, so the work is not dead code
     */
    public static long churn(int n) {
        long total = 0;
        for (int i = 0; i < n; i++) {
            OwnedBuffers b = new OwnedBuffers();
            b.fillTokens(8);
            total += b.tokens().size();
            dev.shelf.Shelf.release(b);
        }
        return total;
    }

    public static Order order(long id, Customer c) {
        return new Order(id, c);
    }

    public static Order order(long id, Customer c, double discount) {
        return new Order(id, c, discount);
    }

    public static Envelope envelope(String kind) {
        return new Envelope(kind);
    }

    public static StaticNested.Node node(int v) {
        return StaticNested.Node.of(v);
    }

    public static Varargs varargs(String[] parts) {
        return new Varargs(parts);
    }

    public static Grid grid(int fill) {
        return new Grid(fill);
    }

    public static Modifiers modifiers() {
        return new Modifiers();
    }

    public static Callbacks callbacks() {
        return new Callbacks();
    }

    public static Level2 level2() {
        return new Level2();
    }

    public static Level3 level3(long three) {
        return new Level3(three);
    }

    public static CallsMethods callsMethods(String input) {
        return new CallsMethods(input);
    }

    public static StringSwitch stringSwitch(String kind) {
        return new StringSwitch(kind);
    }

    public static WideArguments wide(long a, int b, double c, long d, char e, float f) {
        return new WideArguments(a, b, c, d, e, f);
    }

    public static WithStaticState withStaticState() {
        return new WithStaticState();
    }

    public static ConditionalInit conditionalInit(int n) {
        return new ConditionalInit(n);
    }

    public static MoreContainers moreContainers(int seed) {
        return new MoreContainers(seed);
    }

    public static ChildOfStateless childOfStateless(String text) {
        return new ChildOfStateless(text);
    }

    /** Both pooled: {@code new Pair(new Primitives())}. */
    public static Pair pairOfPrimitives() {
        return new Pair(new Primitives());
    }

    /** A site in another class's constructor. */
    public static Assembler assembler() {
        return new Assembler();
    }

    /** A site in an interface default method. */
    public static Primitives fromDefaultMethod() {
        return MAKER.make();
    }

    /**
     * A site in try-with-resources; the resource is released after it is closed.
     *
     * @return the resource, closed and released
     */
    public static Resource tryWithResources() {
        Resource kept;
        try (Resource r = new Resource()) {
            r.uses++;
            kept = r;
        }
        dev.shelf.Shelf.release(kept);
        return kept;
    }

    /** A site whose result is discarded. */
    public static void discarded() {
        new Counting();
    }

    public static ComputedBuffers computedBuffers(int n) {
        return new ComputedBuffers(n);
    }

    public static ConfiguredRequest configuredRequest() {
        return new ConfiguredRequest();
    }

    public static SizedRequest sizedRequest(int size) {
        return new SizedRequest(size);
    }

    /** One request's life cycle, {@code n} times: the shape the allocation test measures. */
    public static long configuredCycles(int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            ConfiguredRequest r = new ConfiguredRequest();
            r.use(16);
            sum += r.body().length;
            dev.shelf.Shelf.release(r);
        }
        return sum;
    }

    /** As {@link #configuredCycles}, with the size passed to the constructor. */
    public static long sizedCycles(int n, int size) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            SizedRequest r = new SizedRequest(size);
            r.use(16);
            sum += r.body().length;
            dev.shelf.Shelf.release(r);
        }
        return sum;
    }

    public static Growing growing() {
        return new Growing();
    }

    /** {@code n} requests of the given size, each on a pooled {@link Growing} released afterwards. */
    public static long growingCycles(int n, int chars, int items, int entries) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            Growing g = new Growing();
            g.handle(chars, items, entries);
            sum += g.size();
            dev.shelf.Shelf.release(g);
        }
        return sum;
    }

    public static ScratchBuffers scratchBuffers(int n) {
        return new ScratchBuffers(n);
    }
}
