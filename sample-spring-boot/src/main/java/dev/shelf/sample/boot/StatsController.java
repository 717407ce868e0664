package dev.shelf.sample.boot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shelf.sample.RequestCounters;
import dev.shelf.sample.StatsDocument;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;

/**
 * {@code GET /stats}: the statistics document every sample app serves ({@link StatsDocument}, app name
 * {@value #APP}) — Shelf's pool counters from {@link dev.shelf.Shelf#stats()}, the parse requests handled and what
 * handling them allocated, the process's allocation and GC figures.
 */
@RestController
public class StatsController {

    /** The app name in the stats document. */
    public static final String APP = "spring-boot-parse";

    private final JsonFactory json = new JsonFactory();
    private final RequestCounters counters;

    /**
     * Creates the controller.
     *
     * @param counters the parse requests handled so far
     */
    public StatsController(RequestCounters counters) {
        this.counters = counters;
    }

    /**
     * Serves the document.
     *
     * @param response written here
     * @throws IOException if the client went away
     */
    @GetMapping("/stats")
    public void stats(HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        try (JsonGenerator g = json.createGenerator(response.getOutputStream())) {
            StatsDocument.write(g, APP, counters);
        }
    }
}
