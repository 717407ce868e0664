package dev.shelf.agent.decide;

import java.util.HashSet;
import java.util.Set;

/**
 * The promises rewritten sites rely on: a rewritten site calls {@code T.$shelf$new}, which exists only if {@code T}
 * was transformed when it loaded. These three sets, under one lock, make "site rewritten" imply "{@code T} gets (or
 * got) its pooled members": a site may rely on {@code T} only if {@code T} already has them, or {@code T} has not
 * loaded yet — and then {@code T} is promised them and gets them when it loads, whatever its class loader or package
 * filters would otherwise say.
 */
public final class PromiseLedger {

    private final Set<String> loaded = new HashSet<>();
    private final Set<String> promised = new HashSet<>();
    private final Set<String> withMembers = new HashSet<>();

    /**
     * Records that a class is being loaded now. Called for every class the transformer sees.
     *
     * @param internalName the class
     * @return whether a rewritten site relies on it: it must then get its pooled members
     */
    public synchronized boolean loaded(String internalName) {
        loaded.add(internalName);
        return promised.contains(internalName);
    }

    /**
     * Records that a class was given its pooled members.
     *
     * @param internalName the class
     */
    public synchronized void pooledMembersAdded(String internalName) {
        withMembers.add(internalName);
    }

    /**
     * Asks whether a site may call a pooled class's factory.
     *
     * @param internalName the class
     * @return {@code true} if the class has or will get its pooled members; {@code false} if it already loaded
     *         without them
     */
    public synchronized boolean promise(String internalName) {
        if (withMembers.contains(internalName)) {
            return true;
        }
        if (loaded.contains(internalName)) {
            return false;
        }
        promised.add(internalName);
        return true;
    }
}
