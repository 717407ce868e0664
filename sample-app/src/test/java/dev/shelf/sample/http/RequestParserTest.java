package dev.shelf.sample.http;

import dev.shelf.sample.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The body reading and parsing logic, without HTTP and without the agent. */
class RequestParserTest {

    private final RequestParser parser = new RequestParser();

    private ParseRequest read(String body) throws Exception {
        ParseRequest req = new ParseRequest();
        parser.readBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), req);
        return req;
    }

    private ParseRequest parse(String body) throws Exception {
        ParseRequest req = read(body);
        parser.parse(req);
        return req;
    }

    /** The request's tokens as strings, checking that the count agrees with the text. */
    private static List<String> tokens(ParseRequest req) {
        List<String> out = new ArrayList<>();
        String text = req.tokenText.toString();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == Digest.SEPARATOR) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        assertThat(start).as("token text ends with a separator").isEqualTo(text.length());
        assertThat(out).as("token count").hasSize(req.tokens);
        return out;
    }

    @Test
    void freshRequestIsEmpty() {
        ParseRequest req = new ParseRequest();
        assertThat(req.id).isEqualTo(-1);
        assertThat(tokens(req)).isEmpty();
        assertThat(req.valid).isFalse();
        assertThat(req.length).isZero();
        assertThat(req.body).hasSize(ParseRequest.DEFAULT_BODY_CAPACITY);
        assertThat(req.tokens).isZero();
        assertThat(req.responseLength).isZero();
    }

    @Test
    void tokensWithEscapesAndNonAsciiAreKeptAsDecodedText() throws Exception {
        ParseRequest req = parse("{\"id\": 1, \"tokens\": [\"a\\\"b\", \"\u00e9t\u00e9\", \"\\u0041\", \"\"]}");
        assertThat(tokens(req)).containsExactly("a\"b", "\u00e9t\u00e9", "A", "");
    }

    @Test
    void renderedAnswerCarriesIdCountDigestAndValidity() throws Exception {
        ParseRequest req = parse("{\"id\": 9007199254740993, \"tokens\": [\"x\", \"yz\"]}");
        ParseAnswer.render(req);
        long digest = Digest.addPart(Digest.addPart(Digest.START, "x"), "yz");
        assertThat(new String(req.response, 0, req.responseLength, StandardCharsets.US_ASCII))
                .isEqualTo("{\"id\":9007199254740993,\"tokens\":2,\"digest\":" + digest + ",\"valid\":true}");

        ParseRequest invalid = parse("{\"id\": 0}");
        ParseAnswer.render(invalid);
        assertThat(new String(invalid.response, 0, invalid.responseLength, StandardCharsets.US_ASCII))
                .isEqualTo("{\"id\":0,\"tokens\":0,\"digest\":" + Digest.START + ",\"valid\":false}");
    }

    @Test
    void digitsMatchLongToString() {
        byte[] out = new byte[32];
        for (long v : new long[] {0, 7, -7, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, -1234567890123L}) {
            int n = ParseAnswer.digits(out, 0, v);
            assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void parsesIdAndTokens() throws Exception {
        ParseRequest req = parse("{\"id\": 12345, \"tokens\": [\"a\", \"bb\", \"ccc\"]}");
        assertThat(req.id).isEqualTo(12345);
        assertThat(tokens(req)).containsExactly("a", "bb", "ccc");
        assertThat(req.valid).isTrue();
    }

    @Test
    void emptyTokenArrayIsValid() throws Exception {
        ParseRequest req = parse("{\"tokens\":[],\"id\":0}");
        assertThat(req.id).isZero();
        assertThat(tokens(req)).isEmpty();
        assertThat(req.valid).isTrue();
    }

    @Test
    void unknownFieldsAreSkippedWhateverTheirShape() throws Exception {
        ParseRequest req = parse("{\"meta\": {\"tokens\": [\"x\"], \"id\": 9}, \"id\": 7, \"extra\": [1, [2], {}],"
                + " \"tokens\": [\"t\"], \"note\": null}");
        assertThat(req.id).isEqualTo(7);
        assertThat(tokens(req)).containsExactly("t");
        assertThat(req.valid).isTrue();
    }

    @Test
    void missingFieldsParseAsInvalid() throws Exception {
        assertThat(parse("{\"id\": 1}").valid).isFalse();
        ParseRequest noId = parse("{\"tokens\": [\"a\"]}");
        assertThat(noId.valid).isFalse();
        assertThat(noId.id).isEqualTo(-1);
        assertThat(tokens(noId)).containsExactly("a");
        assertThat(parse("{}").valid).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "nope", "[1,2]", "42", "{\"id\": 1, \"tokens\": [\"a\"]", "{\"id\": 1,}",
            "{\"id\": \"1\", \"tokens\": []}", "{\"id\": 1.5, \"tokens\": []}", "{\"id\": -3, \"tokens\": []}",
            "{\"id\": 99999999999999999999999, \"tokens\": []}", "{\"id\": 1, \"tokens\": \"a\"}",
            "{\"id\": 1, \"tokens\": [\"a\", 2]}", "{\"id\": 1, \"tokens\": [\"a\"], \"tokens\": [\"b\"]}",
            "{\"id\": 1, \"tokens\": []} {}", "{\"id\": 1, \"tokens\": []} x"})
    void malformedOrMistypedBodiesAreBadRequests(String body) throws Exception {
        ParseRequest req = read(body);
        assertThatThrownBy(() -> parser.parse(req))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void bodyThatFitsStaysInTheOriginalArray() throws Exception {
        ParseRequest req = new ParseRequest();
        byte[] original = req.body;
        byte[] exact = new byte[ParseRequest.DEFAULT_BODY_CAPACITY];
        parser.readBody(new ByteArrayInputStream(exact), req);
        assertThat(req.body).isSameAs(original);
        assertThat(req.overflow).isNull();
        assertThat(req.length).isEqualTo(exact.length);
    }

    @Test
    void oversizedBodyGrowsTheArrayAndParses() throws Exception {
        StringBuilder json = new StringBuilder("{\"id\": 5, \"tokens\": [");
        int count = 5_000; // ~50 KiB, several doublings past 16 KiB
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"token-").append(i).append('"');
        }
        json.append("]}");
        ParseRequest req = parse(json.toString());
        assertThat(req.length).isEqualTo(json.length());
        assertThat(req.overflow.length).isGreaterThan(ParseRequest.DEFAULT_BODY_CAPACITY);
        assertThat(req.body).as("the owned buffer is never replaced").hasSize(ParseRequest.DEFAULT_BODY_CAPACITY);
        assertThat(tokens(req)).hasSize(count).endsWith("token-" + (count - 1));
        assertThat(req.valid).isTrue();
    }

    @Test
    void bodyOverTheLimitIsRefusedWith413() {
        RequestParser small = new RequestParser(32 * 1024);
        ParseRequest req = new ParseRequest();
        byte[] big = new byte[32 * 1024 + 1];
        assertThatThrownBy(() -> small.readBody(new ByteArrayInputStream(big), req))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.status()).isEqualTo(413));
    }

    @Test
    void bodyExactlyAtTheLimitIsAccepted() throws Exception {
        RequestParser small = new RequestParser(32 * 1024);
        ParseRequest req = new ParseRequest();
        small.readBody(new ByteArrayInputStream(new byte[32 * 1024]), req);
        assertThat(req.length).isEqualTo(32 * 1024);
    }

    @Test
    void readsBodiesThatArriveInSmallPieces() throws Exception {
        byte[] json = "{\"id\": 3, \"tokens\": [\"x\", \"y\"]}".getBytes(StandardCharsets.UTF_8);
        ParseRequest req = new ParseRequest();
        parser.readBody(new ByteArrayInputStream(json) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        }, req);
        parser.parse(req);
        assertThat(req.id).isEqualTo(3);
        assertThat(tokens(req)).containsExactly("x", "y");
    }

    @Test
    void parsesFromTheBodyPrefixOnly() throws Exception {
        // Bytes past `length` are leftovers (e.g. from a longer earlier body in a reused array) and must be ignored.
        ParseRequest req = new ParseRequest();
        byte[] longer = "{\"id\": 1, \"tokens\": [\"a\", \"b\", \"c\", \"d\"]}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(longer, 0, req.body, 0, longer.length);
        parser.readBody(new ByteArrayInputStream("{\"id\": 2, \"tokens\": []}".getBytes(StandardCharsets.UTF_8)),
                req);
        parser.parse(req);
        assertThat(req.id).isEqualTo(2);
        assertThat(tokens(req)).isEmpty();
    }

    @Test
    void rejectsNonPositiveLimit() {
        assertThatThrownBy(() -> new RequestParser(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readFailurePropagatesAsIOException() {
        ParseRequest req = new ParseRequest();
        assertThatThrownBy(() -> parser.readBody(new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        }, req)).isInstanceOf(IOException.class);
    }
}
