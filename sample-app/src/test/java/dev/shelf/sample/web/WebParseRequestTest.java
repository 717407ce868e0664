package dev.shelf.sample.web;

import com.fasterxml.jackson.core.JsonFactory;
import dev.shelf.sample.Digest;
import dev.shelf.sample.http.BadRequestException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading, parsing and rendering of the servlet stacks' request, without a server and without the agent. */
class WebParseRequestTest {

    private final JsonFactory json = new JsonFactory();

    private WebParseRequest handle(String body) throws Exception {
        WebParseRequest req = new WebParseRequest();
        req.readBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        req.parse(json);
        req.render();
        return req;
    }

    private static String answer(WebParseRequest req) {
        return new String(req.response(), 0, req.responseLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void answersWithTheIdTheTokenCountAndTheDigestOfTheTokens() throws Exception {
        WebParseRequest req = handle("{\"id\":42,\"tokens\":[\"a\",\"bé\"],\"other\":{\"x\":[1]}}");
        long digest = Digest.ofJoined("a" + Digest.SEPARATOR + "bé" + Digest.SEPARATOR);
        assertThat(answer(req)).isEqualTo("{\"id\":42,\"tokens\":2,\"digest\":" + digest + ",\"valid\":true}");
    }

    @Test
    void aBodyWithoutTokensIsAnsweredAsInvalid() throws Exception {
        assertThat(answer(handle("{\"id\":7}"))).endsWith(",\"valid\":false}").startsWith("{\"id\":7,\"tokens\":0,");
    }

    @Test
    void aBodyLargerThanTheOwnedBufferGoesToTheOverflowArray() throws Exception {
        StringBuilder body = new StringBuilder("{\"id\":1,\"tokens\":[");
        int n = 0;
        while (body.length() < 3 * WebParseRequest.BODY_CAPACITY) {
            body.append(n == 0 ? "" : ",").append("\"token-").append(n++).append('"');
        }
        body.append("]}");
        WebParseRequest req = handle(body.toString());
        assertThat(req.overflow).hasSizeGreaterThanOrEqualTo(body.length());
        assertThat(req.body).hasSize(WebParseRequest.BODY_CAPACITY);
        assertThat(req.tokens).isEqualTo(n);
    }

    @Test
    void malformedBodiesAreBadRequests() {
        for (String body : new String[] {"[1]", "{\"id\":-1,\"tokens\":[]}", "{\"tokens\":[1]}", "{\"id\":1} x", "{"}) {
            assertThatThrownBy(() -> handle(body)).as(body).isInstanceOf(BadRequestException.class)
                    .extracting(e -> ((BadRequestException) e).status()).isEqualTo(400);
        }
    }
}
