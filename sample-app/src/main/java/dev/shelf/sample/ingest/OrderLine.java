package dev.shelf.sample.ingest;

import dev.shelf.Pooled;
import dev.shelf.sample.Digest;

/**
 * One order line of the ingest feed: a {@link CsvLine} with typed fields.
 *
 * <pre>{@code orderId,timestamp,customer,sku,quantity,unitPriceCents,currency,note}</pre>
 *
 * <p>{@code orderId} and {@code timestamp} (epoch milliseconds) are non-negative integers, {@code customer} and
 * {@code sku} non-empty, {@code quantity} 1..{@value #MAX_QUANTITY}, {@code unitPriceCents}
 * 0..{@value #MAX_UNIT_PRICE_CENTS}, {@code currency} one of {@link Currency}, {@code note} free text (quoted when it
 * holds commas or quotes). A line that breaks any rule is rejected, with {@link #rejection} saying why; rejected
 * lines are counted, not errors.
 *
 * <p>The text fields stay where {@link CsvLine} put them — ranges of its owned buffer — and the numbers are read
 * from there without a {@code String}, so this subclass adds no per-line garbage of its own. Written as a plain
 * class that extends a pooled class and passes its constructor argument up: the agent re-initialises it by running
 * both constructors' code again.
 */
@Pooled(maxPerThread = CsvLine.MAX_IDLE)
public class OrderLine extends CsvLine {

    /** Fields in an order line. */
    public static final int FIELDS = 8;
    /** Largest accepted quantity. */
    public static final long MAX_QUANTITY = 10_000;
    /** Largest accepted unit price, in cents. */
    public static final long MAX_UNIT_PRICE_CENTS = 10_000_000;

    static final int ORDER_ID = 0;
    static final int TIMESTAMP = 1;
    static final int CUSTOMER = 2;
    static final int SKU = 3;
    static final int QUANTITY = 4;
    static final int UNIT_PRICE = 5;
    static final int CURRENCY = 6;
    static final int NOTE = 7;

    /** The order id, or -1 until {@link #bind()} succeeds. */
    long orderId = -1;
    /** When the order was placed, epoch milliseconds. */
    long timestamp;
    /** Units ordered. */
    long quantity;
    /** Price of one unit, in the currency's cents. */
    long unitPriceCents;
    /** The order's currency. */
    Currency currency;
    /** {@code quantity * unitPriceCents} converted to euro cents; set by {@link #bind()}. */
    long amountEurCents;
    /** Why the line was rejected, or {@code null} if it was accepted. */
    String rejection;

    /**
     * Creates an empty order line.
     *
     * @param lineNumber the line's number in its feed
     */
    public OrderLine(long lineNumber) {
        super(lineNumber);
    }

    /**
     * Validates the split fields and fills the typed ones: the pipeline's validate-and-enrich stage.
     *
     * @return {@code true} if the line is an acceptable order line; otherwise {@link #rejection} says why
     */
    public boolean bind() {
        if (malformed != null) {
            return reject(malformed);
        }
        if (fields != FIELDS) {
            return reject("expected " + FIELDS + " fields");
        }
        orderId = longField(ORDER_ID, 0, Long.MAX_VALUE);
        if (orderId == Long.MIN_VALUE) {
            return reject("bad orderId");
        }
        timestamp = longField(TIMESTAMP, 0, Long.MAX_VALUE);
        if (timestamp == Long.MIN_VALUE) {
            return reject("bad timestamp");
        }
        if (end(CUSTOMER) == start(CUSTOMER) || end(SKU) == start(SKU)) {
            return reject("empty customer or sku");
        }
        quantity = longField(QUANTITY, 1, MAX_QUANTITY);
        if (quantity == Long.MIN_VALUE) {
            return reject("bad quantity");
        }
        unitPriceCents = longField(UNIT_PRICE, 0, MAX_UNIT_PRICE_CENTS);
        if (unitPriceCents == Long.MIN_VALUE) {
            return reject("bad unitPriceCents");
        }
        currency = Currency.of(this, CURRENCY);
        if (currency == null) {
            return reject("unknown currency");
        }
        amountEurCents = currency.toEurCents(quantity * unitPriceCents);
        return true;
    }

    private boolean reject(String why) {
        rejection = why;
        return false;
    }

    /**
     * Adds this accepted line to a batch digest: order id, customer, sku, quantity, amount in euro cents and note,
     * in that order.
     *
     * @param h the digest so far
     * @return the new digest
     */
    long digest(long h) {
        h = Digest.addPart(h, orderId);
        h = Digest.addPart(h, text, start(CUSTOMER), end(CUSTOMER));
        h = Digest.addPart(h, text, start(SKU), end(SKU));
        h = Digest.addPart(h, quantity);
        h = Digest.addPart(h, amountEurCents);
        return Digest.addPart(h, text, start(NOTE), end(NOTE));
    }
}
