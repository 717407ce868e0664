/**
 * Running the sample apps in containers without ever pulling an image: a Docker availability check that says why
 * not ({@link dev.shelf.it.container.DockerEnvironment}), images built here from a jlink'ed JDK, the apps and the
 * agent ({@link dev.shelf.it.container.RuntimeImage}), a never-pull policy ({@link dev.shelf.it.container.NeverPull})
 * and containers on host networking with a memory limit ({@link dev.shelf.it.container.ContainerApp}).
 */
package dev.shelf.it.container;
