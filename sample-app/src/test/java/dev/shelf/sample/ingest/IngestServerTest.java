package dev.shelf.sample.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The ingest server end to end, in-process and without the agent. */
class IngestServerTest {

    private static IngestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = IngestServer.start(0, 4);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One connection: send text, read reply lines. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final BufferedReader in;

        Client() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        String send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void batchIsAnsweredWithItsTotals() throws Exception {
        try (Client c = new Client()) {
            String reply = c.send("BATCH 17 3\n"
                    + "1,1767225600000,alice,SKU-1,2,500,EUR,\"gift, wrapped\"\n"
                    + "2,1767225600001,bob,SKU-2,0,500,EUR,zero quantity\r\n"
                    + "3,1767225600002,carol,SKU-3,1,10000,JPY,\n");
            OrderLine a = OrderLineTest.bound("1,1767225600000,alice,SKU-1,2,500,EUR,\"gift, wrapped\"");
            OrderLine b = OrderLineTest.bound("3,1767225600002,carol,SKU-3,1,10000,JPY,");
            long digest = b.digest(a.digest(dev.shelf.sample.Digest.START));
            assertThat(reply).isEqualTo("OK 17 2 1 3 " + (1000 + 62) + " " + digest);
            // The same connection serves more batches, including an empty one.
            assertThat(c.send("BATCH 18 0\n")).isEqualTo("OK 18 0 0 0 0 " + dev.shelf.sample.Digest.START);
        }
    }

    @Test
    void statsReportTheAppItsCountersAndNoPoolsWithoutTheAgent() throws Exception {
        try (Client c = new Client()) {
            c.send("BATCH 1 1\n5,1,c,s,1,1,EUR,n\n");
            Map<String, Object> stats = flat(c.send("STATS\n"));
            assertThat(stats).containsEntry("app", "csv-ingest")
                    .containsEntry("active", false)
                    .containsEntry("handlerAllocatedBytesScope", IngestSession.HANDLER_SCOPE);
            assertThat((Long) stats.get("requests")).isPositive();
            assertThat((Long) stats.get("items")).isGreaterThanOrEqualTo((Long) stats.get("requests"));
            assertThat((Long) stats.get("handlerAllocatedBytes")).isPositive();
        }
    }

    @Test
    void protocolErrorsAreAnsweredAndCloseTheConnection() throws Exception {
        try (Client c = new Client()) {
            assertThat(c.send("HELLO\n")).startsWith("ERR unknown command");
            assertThat(c.in.readLine()).isNull();
        }
        try (Client c = new Client()) {
            assertThat(c.send("BATCH x 1\n")).startsWith("ERR expected BATCH");
        }
        try (Client c = new Client()) {
            assertThat(c.send("BATCH 1 10001\n")).startsWith("ERR batch 1 has more than 10000 lines");
        }
    }

    @Test
    void quitClosesAndTheServerKeepsServingOthers() throws Exception {
        try (Client c = new Client()) {
            c.out.write("QUIT\n".getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            assertThat(c.in.readLine()).isNull();
        }
        try (Client c = new Client()) {
            assertThat(c.send("BATCH 2 1\n9,1,c,s,1,1,EUR,n\n")).startsWith("OK 2 1 0 1 1 ");
        }
    }

    private static Map<String, Object> flat(String json) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (v) {
                    case VALUE_NUMBER_INT -> out.put(name, p.getLongValue());
                    case VALUE_TRUE, VALUE_FALSE -> out.put(name, p.getBooleanValue());
                    case VALUE_STRING -> out.put(name, p.getText());
                    default -> p.skipChildren();
                }
            }
        }
        return out;
    }
}
