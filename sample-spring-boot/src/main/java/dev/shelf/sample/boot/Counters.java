package dev.shelf.sample.boot;

import dev.shelf.sample.RequestCounters;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one {@link RequestCounters} the parse controller counts into and the stats controller reports. */
@Configuration
public class Counters {

    /** What the handler-scope allocation figure covers, as reported in {@code /stats}. */
    static final String HANDLER_SCOPE = "per POST /parse: bytes allocated by the Tomcat worker thread inside"
            + " ParseController.parse (body read, JSON parse, response rendering, writing it to the response);"
            + " excludes Tomcat's request parsing and Spring MVC's dispatch around the controller";

    /** @return the application's request counters */
    @Bean
    public RequestCounters requestCounters() {
        return new RequestCounters(HANDLER_SCOPE);
    }
}
