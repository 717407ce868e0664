package dev.shelf.internal.observe;

/** A class that tests define in two class loaders, to get two pools of the same class name. */
public final class Twin {
    long id;
}
