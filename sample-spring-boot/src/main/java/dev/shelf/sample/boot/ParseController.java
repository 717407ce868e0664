package dev.shelf.sample.boot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shelf.Shelf;
import dev.shelf.sample.ProcessMetrics;
import dev.shelf.sample.RequestCounters;
import dev.shelf.sample.http.BadRequestException;
import dev.shelf.sample.web.WebParseRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code POST /parse}: reads the JSON body into a {@link WebParseRequest} and answers
 * {@code {"id":..,"tokens":..,"digest":..,"valid":..}}, computed from that object's state only.
 *
 * <p>The allocation site Shelf rewrites is the plain {@code new WebParseRequest()} below; the object goes back with
 * {@link Shelf#release(Object)} in a {@code finally}, on every path. Without the agent the release does nothing. The
 * controller works on the servlet request and response directly: a body of bytes in, a few bytes out, no object
 * mapping in between.
 *
 * <p>Each request is counted with what the controller allocated on its thread ({@link Counters#HANDLER_SCOPE}).
 */
@RestController
public class ParseController {

    private final JsonFactory json = new JsonFactory();
    private final RequestCounters counters;

    /**
     * Creates the controller.
     *
     * @param counters where each handled request is counted
     */
    public ParseController(RequestCounters counters) {
        this.counters = counters;
    }

    /**
     * Serves one request.
     *
     * @param request  the request; its body is read to the end
     * @param response the response; written here
     * @throws IOException if the client went away
     */
    @PostMapping("/parse")
    public void parse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long allocatedAtStart = ProcessMetrics.currentThreadAllocatedBytes();
        try {
            WebParseRequest req = new WebParseRequest();
            try {
                req.readBody(request.getInputStream());
                req.parse(json);
                req.render();
                send(response, 200, req.response(), req.responseLength());
            } catch (BadRequestException e) {
                sendError(response, e.status(), e.getMessage());
            } finally {
                req.releaseOverflow(); // an oversized body's array is pooled on its own, not owned by req
                Shelf.release(req);
            }
        } finally {
            long allocated = allocatedAtStart < 0 ? -1
                    : ProcessMetrics.currentThreadAllocatedBytes() - allocatedAtStart;
            counters.handled(1, allocated);
        }
    }

    private static void send(HttpServletResponse response, int status, byte[] body, int length) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(length);
        OutputStream out = response.getOutputStream();
        out.write(body, 0, length);
    }

    private void sendError(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        try (JsonGenerator g = json.createGenerator(response.getOutputStream())) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        }
    }
}
