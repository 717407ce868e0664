/**
 * The founding Shelf example as a small but real HTTP service.
 *
 * <p>{@link dev.shelf.sample.http.ParseServer} serves {@code POST /parse}, which reads each JSON body into a
 * {@link dev.shelf.sample.http.ParseRequest} obtained with plain {@code new} and hands it back with
 * {@link dev.shelf.Shelf#release(Object)}, and {@code GET /stats}, which reports Shelf's pool counters together with
 * the process's allocation and GC figures. The same jar runs with or without {@code -javaagent:shelf-agent.jar}; the
 * integration tests and the demo in {@code it/} start it both ways and compare.
 */
package dev.shelf.sample.http;
