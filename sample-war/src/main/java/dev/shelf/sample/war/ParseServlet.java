package dev.shelf.sample.war;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shelf.Shelf;
import dev.shelf.sample.ProcessMetrics;
import dev.shelf.sample.RequestCounters;
import dev.shelf.sample.http.BadRequestException;
import dev.shelf.sample.web.WebParseRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code POST /parse}: reads the JSON body into a {@link WebParseRequest} and answers
 * {@code {"id":..,"tokens":..,"digest":..,"valid":..}}, computed from that object's state only.
 *
 * <p>The allocation site Shelf rewrites is the plain {@code new WebParseRequest()} below, in a class of the web
 * application's own loader; the object goes back with {@link Shelf#release(Object)} in a {@code finally}, on every
 * path. Each request is counted with what the servlet allocated on its thread ({@link WarCounters#HANDLER_SCOPE}).
 */
public class ParseServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient JsonFactory json = new JsonFactory();
    private transient RequestCounters counters;

    @Override
    public void init() {
        counters = WarCounters.of(getServletContext());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long allocatedAtStart = ProcessMetrics.currentThreadAllocatedBytes();
        try {
            WebParseRequest req = new WebParseRequest();
            try {
                req.readBody(request.getInputStream());
                req.parse(json);
                req.render();
                response.setStatus(200);
                response.setContentType("application/json");
                response.setContentLength(req.responseLength());
                OutputStream out = response.getOutputStream();
                out.write(req.response(), 0, req.responseLength());
            } catch (BadRequestException e) {
                response.setStatus(e.status());
                response.setContentType("application/json");
                try (JsonGenerator g = json.createGenerator(response.getOutputStream())) {
                    g.writeStartObject();
                    g.writeStringField("error", e.getMessage());
                    g.writeEndObject();
                }
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
}
