package dev.shelf.sample.war;

import dev.shelf.sample.RequestCounters;
import jakarta.servlet.ServletContext;

/** The web application's one {@link RequestCounters}, kept as a servlet context attribute. */
final class WarCounters {

    /** What the handler-scope allocation figure covers, as reported in {@code /stats}. */
    static final String HANDLER_SCOPE = "per POST /parse: bytes allocated by the container's worker thread inside"
            + " ParseServlet.doPost (body read, JSON parse, response rendering, writing it to the response);"
            + " excludes the container's request parsing and dispatch around the servlet";

    private static final String ATTRIBUTE = RequestCounters.class.getName();

    private WarCounters() {
    }

    /**
     * @param context the web application's context
     * @return its counters, made on first use
     */
    static RequestCounters of(ServletContext context) {
        synchronized (context) {
            RequestCounters counters = (RequestCounters) context.getAttribute(ATTRIBUTE);
            if (counters == null) {
                counters = new RequestCounters(HANDLER_SCOPE);
                context.setAttribute(ATTRIBUTE, counters);
            }
            return counters;
        }
    }
}
