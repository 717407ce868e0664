/**
 * The founding example's {@code POST /parse} as servlets in a WAR: {@link dev.shelf.sample.war.ParseServlet}
 * allocates a pooled {@link dev.shelf.sample.web.WebParseRequest} with plain {@code new} and releases it in a
 * {@code finally}; {@link dev.shelf.sample.war.StatsServlet} serves the statistics document every sample app serves.
 * Both share one {@link dev.shelf.sample.RequestCounters} through the servlet context ({@link
 * dev.shelf.sample.war.WarCounters}).
 */
package dev.shelf.sample.war;
