package dev.shelf.sample.ingest;

import dev.shelf.sample.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Validation, enrichment and aggregation of order lines, without the agent. */
class OrderLineTest {

    static OrderLine bound(String csv) {
        OrderLine l = new OrderLine(7);
        byte[] b = csv.getBytes(StandardCharsets.UTF_8);
        l.split(b, 0, b.length);
        l.bind();
        return l;
    }

    @Test
    void acceptedLineHasTypedFieldsAndAConvertedAmount() {
        OrderLine l = bound("1001,1767225600000,cust-7,SKU-1,3,1999,USD,\"gift, wrapped\"");
        assertThat(l.rejection).isNull();
        assertThat(l.orderId).isEqualTo(1001);
        assertThat(l.timestamp).isEqualTo(1767225600000L);
        assertThat(l.quantity).isEqualTo(3);
        assertThat(l.unitPriceCents).isEqualTo(1999);
        assertThat(l.currency).isEqualTo(Currency.USD);
        assertThat(l.amountEurCents).isEqualTo(3 * 1999 * 9_200 / 10_000);
        assertThat(l.lineNumber).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1,2,c,s,1,100,EUR|expected 8 fields",
            "x,2,c,s,1,100,EUR,n|bad orderId",
            "1,-2,c,s,1,100,EUR,n|bad timestamp",
            "1,2,,s,1,100,EUR,n|empty customer or sku",
            "1,2,c,s,0,100,EUR,n|bad quantity",
            "1,2,c,s,10001,100,EUR,n|bad quantity",
            "1,2,c,s,1,10000001,EUR,n|bad unitPriceCents",
            "1,2,c,s,1,100,XXX,n|unknown currency",
            "1,2,c,s,1,100,EUR,\"n|unterminated quoted field"})
    void rejectedLinesSayWhy(String csv, String why) {
        assertThat(bound(csv).rejection).isEqualTo(why);
    }

    @Test
    void totalsCountRejectedLinesAndDigestAcceptedOnes() {
        Totals t = new Totals();
        OrderLine a = bound("1,2,alice,SKU-1,2,500,EUR,first");
        OrderLine bad = bound("2,2,bob,SKU-2,0,500,EUR,bad");
        OrderLine c = bound("3,2,carol,SKU-3,1,10000,JPY,");
        t.add(a);
        t.add(bad);
        t.add(c);
        assertThat(t.accepted).isEqualTo(2);
        assertThat(t.rejected).isEqualTo(1);
        assertThat(t.quantity).isEqualTo(3);
        assertThat(t.amountEurCents).isEqualTo(1000 + 10000 * 62 / 10_000);
        long expected = Digest.START;
        expected = Digest.addPart(Digest.addPart(Digest.addPart(Digest.addPart(Digest.addPart(Digest.addPart(
                expected, 1L), "alice"), "SKU-1"), 2L), 1000L), "first");
        expected = Digest.addPart(Digest.addPart(Digest.addPart(Digest.addPart(Digest.addPart(Digest.addPart(
                expected, 3L), "carol"), "SKU-3"), 1L), 62L), "");
        assertThat(t.digest).isEqualTo(expected);
    }

    @Test
    void conversionRoundsDown() {
        assertThat(Currency.SEK.toEurCents(1)).isZero();
        assertThat(Currency.GBP.toEurCents(100)).isEqualTo(117);
        assertThat(Currency.EUR.toEurCents(12345)).isEqualTo(12345);
    }
}
