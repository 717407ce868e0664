/**
 * A Jetty 12 server that deploys one WAR ({@link dev.shelf.sample.jetty.JettyMain}): Jetty's {@code WebAppContext}
 * and its child-first {@code WebAppClassLoader}, as Jetty's distribution uses for every web application.
 */
package dev.shelf.sample.jetty;
