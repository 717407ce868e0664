package dev.shelf.sample.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application: embedded Tomcat, two controllers. Settings in {@code application.properties}; the
 * port from {@code --server.port} (0 picks a free one, announced on stdout as {@code LISTENING <port>}).
 */
@SpringBootApplication
public class ParseApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=0}
     */
    public static void main(String[] args) {
        SpringApplication.run(ParseApplication.class, args);
    }
}
