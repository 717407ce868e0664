package dev.shelf.sample.war;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shelf.sample.RequestCounters;
import dev.shelf.sample.StatsDocument;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code GET /stats}: the statistics document every sample app serves ({@link StatsDocument}, app name
 * {@value #APP}), with Shelf's pool counters as {@link dev.shelf.Shelf#stats()} reports them to this web
 * application.
 */
public class StatsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** The app name in the stats document. */
    public static final String APP = "war-parse";

    private final transient JsonFactory json = new JsonFactory();
    private transient RequestCounters counters;

    @Override
    public void init() {
        counters = WarCounters.of(getServletContext());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        try (JsonGenerator g = json.createGenerator(response.getOutputStream())) {
            StatsDocument.write(g, APP, counters);
        }
    }
}
