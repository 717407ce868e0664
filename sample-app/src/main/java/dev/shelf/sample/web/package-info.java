/**
 * The {@code POST /parse} work of the founding example, for apps on other web stacks: a Spring Boot executable jar
 * ({@code sample-spring-boot}) and a WAR in a servlet container ({@code sample-war}).
 *
 * <p>{@link dev.shelf.sample.web.WebParseRequest} is the {@code @Pooled} request object; the stack's own handler
 * (a Spring {@code @RestController}, a servlet) writes {@code new WebParseRequest()} and releases it in a
 * {@code finally}, exactly as {@link dev.shelf.sample.http.ParseHandler} does on the JDK's HTTP server. Nothing here
 * depends on a web framework: the stacks hand over the body stream and send the rendered bytes.
 */
package dev.shelf.sample.web;
