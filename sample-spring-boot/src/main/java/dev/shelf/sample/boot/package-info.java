/**
 * The founding example's {@code POST /parse} on Spring Boot: {@link dev.shelf.sample.boot.ParseController} allocates
 * a pooled {@link dev.shelf.sample.web.WebParseRequest} with plain {@code new} and releases it in a {@code finally};
 * {@link dev.shelf.sample.boot.StatsController} serves the same statistics document as the other sample apps
 * ({@code GET /stats}); {@link dev.shelf.sample.boot.PortAnnouncer} prints {@code LISTENING <port>} once Tomcat
 * listens, which is what the integration tests wait for.
 */
package dev.shelf.sample.boot;
