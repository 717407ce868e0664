package dev.shelf.sample.ingest;

/**
 * The currencies the ingest pipeline accepts, with a fixed conversion rate to euro cents.
 *
 * <p>Rates are integers (euro basis points per unit of the currency) so that conversion is exact integer arithmetic
 * and the load generator can compute the same totals independently: {@code amountEurCents = quantity *
 * unitPriceCents * rate / 10_000}, rounded down.
 */
public enum Currency {
    /** Euro. */
    EUR(10_000),
    /** US dollar. */
    USD(9_200),
    /** Pound sterling. */
    GBP(11_700),
    /** Swiss franc. */
    CHF(10_400),
    /** Swedish krona. */
    SEK(870),
    /** Japanese yen (its "cents" are yen). */
    JPY(62);

    private static final Currency[] ALL = values();

    /** Euro basis points (1/10 000 of a euro) per unit of this currency. */
    final long rate;

    Currency(long rate) {
        this.rate = rate;
    }

    /**
     * Converts an amount to euro cents.
     *
     * @param cents an amount in this currency's cents
     * @return the amount in euro cents, rounded down
     */
    public long toEurCents(long cents) {
        return Math.floorDiv(cents * rate, 10_000L);
    }

    /**
     * Finds the currency whose code is field {@code f} of {@code line}, without making a String.
     *
     * @param line a split line
     * @param f    the field index
     * @return the currency, or {@code null} if the code is not one of these
     */
    static Currency of(CsvLine line, int f) {
        for (Currency c : ALL) {
            if (line.fieldEquals(f, c.name())) {
                return c;
            }
        }
        return null;
    }
}
