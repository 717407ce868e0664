/**
 * The pool itself: what rewritten allocation sites and {@link dev.shelf.Shelf} call.
 *
 * <p>Public only because generated code in application classes must reach it; not an API. The agent appends this
 * library to the bootstrap class path, so every class loader sees the same copy.
 */
package dev.shelf.internal;
