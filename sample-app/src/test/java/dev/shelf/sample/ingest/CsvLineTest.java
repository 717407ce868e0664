package dev.shelf.sample.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Splitting CSV lines into fields, without the agent. */
class CsvLineTest {

    static CsvLine split(String line) {
        CsvLine l = new CsvLine(1);
        byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8); // split a range, not the whole array
        l.split(bytes, 2, bytes.length - 2);
        return l;
    }

    static List<String> fields(CsvLine l) {
        List<String> out = new ArrayList<>();
        for (int f = 0; f < l.fields(); f++) {
            out.add(l.text().subSequence(l.start(f), l.end(f)).toString());
        }
        return out;
    }

    @Test
    void plainFields() {
        CsvLine l = split("a,bb,,ccc");
        assertThat(l.malformed).isNull();
        assertThat(fields(l)).containsExactly("a", "bb", "", "ccc");
    }

    @Test
    void emptyLineIsOneEmptyFieldAndTrailingCommaAddsOne() {
        assertThat(fields(split(""))).containsExactly("");
        assertThat(fields(split("a,"))).containsExactly("a", "");
    }

    @Test
    void quotedFieldsKeepCommasAndUnescapeDoubledQuotes() {
        CsvLine l = split("1,\"gift, wrapped\",\"say \"\"hi\"\"\",\"\"");
        assertThat(l.malformed).isNull();
        assertThat(fields(l)).containsExactly("1", "gift, wrapped", "say \"hi\"", "");
    }

    @Test
    void utf8IsDecoded() {
        assertThat(fields(split("caf\u00e9,\u20ac5,\ud83d\ude00"))).containsExactly("caf\u00e9", "\u20ac5", "\ud83d\ude00");
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() {
        CsvLine l = new CsvLine(1);
        byte[] bytes = {'a', (byte) 0xc3, ',', (byte) 0xff, 'b'};
        l.split(bytes, 0, bytes.length);
        assertThat(fields(l)).containsExactly("a\ufffd", "\ufffdb");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"open|unterminated quoted field",
            "\"a\"b|text after a closing quote",
            "a\"b|quote inside an unquoted field",
            "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17|more than 16 fields"})
    void malformedLinesSayWhy(String line, String why) {
        assertThat(split(line).malformed).isEqualTo(why);
    }

    @Test
    void sixteenFieldsAreFine() {
        CsvLine l = split("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16");
        assertThat(l.malformed).isNull();
        assertThat(l.fields()).isEqualTo(16);
    }

    @Test
    void numbersAndComparisonsReadFieldsWithoutStrings() {
        CsvLine l = split("42,-7,,x1,99999999999999999999,EUR");
        assertThat(l.longField(0, 0, 100)).isEqualTo(42);
        assertThat(l.longField(0, 0, 41)).isEqualTo(Long.MIN_VALUE);
        assertThat(l.longField(1, -10, 10)).isEqualTo(-7);
        assertThat(l.longField(2, 0, 10)).isEqualTo(Long.MIN_VALUE);
        assertThat(l.longField(3, 0, 10)).isEqualTo(Long.MIN_VALUE);
        assertThat(l.longField(4, 0, Long.MAX_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(l.fieldEquals(5, "EUR")).isTrue();
        assertThat(l.fieldEquals(5, "EU")).isFalse();
        assertThat(l.fieldEquals(3, "x2")).isFalse();
    }

    @Test
    void numbersUseTheWholeLongRange() {
        CsvLine l = split("9223372036854775807,9223372036854775808,1049902428000000123,-9223372036854775807,"
                + "00000000000000000000042");
        assertThat(l.longField(0, 0, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(l.longField(1, 0, Long.MAX_VALUE)).as("overflow").isEqualTo(Long.MIN_VALUE);
        assertThat(l.longField(2, 0, Long.MAX_VALUE)).as("19 digits").isEqualTo(1049902428000000123L);
        assertThat(l.longField(3, Long.MIN_VALUE + 1, 0)).isEqualTo(-Long.MAX_VALUE);
        assertThat(l.longField(4, 0, 100)).as("leading zeros").isEqualTo(42);
    }
}
