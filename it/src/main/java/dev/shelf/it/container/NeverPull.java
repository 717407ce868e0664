package dev.shelf.it.container;

import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * An image pull policy that never pulls: every image these tests use is built on this machine, and no registry is
 * reachable from it. Set on every container, and as Testcontainers' default ({@code pull.policy} in
 * {@code testcontainers.properties}) as a safety net, so that a missing image fails fast with "no such image"
 * instead of hanging on a registry.
 */
public final class NeverPull implements ImagePullPolicy {

    /** The shared instance. */
    public static final NeverPull INSTANCE = new NeverPull();

    /** Public for Testcontainers, which instantiates the configured policy by reflection. */
    public NeverPull() {
    }

    @Override
    public boolean shouldPull(DockerImageName imageName) {
        return false;
    }
}
