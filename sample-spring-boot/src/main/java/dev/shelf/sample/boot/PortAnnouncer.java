package dev.shelf.sample.boot;

import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Prints {@code LISTENING <port>} on stdout once the embedded server listens: the line every sample app announces
 * itself with, and what the integration tests wait for (a container on the host's network cannot be waited on by
 * port).
 */
@Component
public class PortAnnouncer implements ApplicationListener<WebServerInitializedEvent> {

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        System.out.println("LISTENING " + event.getWebServer().getPort());
        System.out.flush();
    }
}
