package dev.shelf.sample.jetty;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Starts Jetty with one web application: {@code JettyMain <war> <port> [threads]}.
 *
 * <p>The WAR is deployed at {@code /} by Jetty's {@link WebAppContext}, which unpacks it and loads its classes with
 * Jetty's child-first {@code WebAppClassLoader}: {@code WEB-INF/classes} and {@code WEB-INF/lib} first, the server's
 * class path only for the Servlet API and the JDK. Port 0 picks a free port; once the server listens it prints
 * {@code LISTENING <port>} on stdout, as every sample app does.
 */
public final class JettyMain {

    private JettyMain() {
    }

    /**
     * Starts the server and returns; Jetty's threads keep the JVM running.
     *
     * @param args the WAR, the port, and optionally the worker threads (default 16: Jetty's acceptor and selector
     *             take some of them)
     * @throws Exception if the server does not start
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: JettyMain <war> <port> [threads]");
            System.exit(2);
        }
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Server server = new Server(new QueuedThreadPool(threads, threads));
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        http.setPort(Integer.parseInt(args[1]));
        server.addConnector(http);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(args[0]);
        server.setHandler(webapp);
        server.start();
        if (!webapp.isAvailable()) {
            System.err.println("the web application did not deploy: " + webapp.getUnavailableException());
            server.stop();
            System.exit(1);
        }
        System.out.println("LISTENING " + http.getLocalPort());
        System.out.flush();
    }
}
