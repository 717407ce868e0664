package dev.shelf.agent.weave;

import dev.shelf.agent.plan.SiteNumbers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Site numbers given at build time. The agent numbers a site in the runtime's table ({@code dev.shelf.internal.Sites})
 * as it rewrites it; at build time there is no runtime to ask, so the weaver numbers sites itself — per pooled class,
 * from 1 in the order it meets them, the same name twice getting the same number, as the runtime's table does — and
 * the woven activation class registers the names in that order when the application starts ({@link Activation}), so
 * that statistics and the exit report name the sites as under the agent.
 */
final class BuildSiteNumbers implements SiteNumbers {

    /** Site names per pooled class (binary name), index {@code i} holding number {@code i + 1}. */
    private final Map<String, List<String>> sites = new LinkedHashMap<>();

    @Override
    public synchronized int number(String pooledClass, String site) {
        List<String> names = sites.computeIfAbsent(pooledClass.replace('/', '.'), k -> new ArrayList<>());
        int known = names.indexOf(site);
        if (known >= 0) {
            return known + 1;
        }
        names.add(site);
        return names.size();
    }

    /** Returns the names given so far, per pooled class, in number order. */
    synchronized Map<String, List<String>> names() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        sites.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }
}
