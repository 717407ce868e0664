package dev.shelf.agent;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Field-by-field comparison of a reused object against a freshly constructed one, and the scrambling that makes a
 * reused object's previous life visible if re-initialisation misses anything.
 */
final class FreshState {

    private FreshState() {
    }

    /**
     * Lists every difference between two objects' instance fields, recursively into arrays, collections and objects
     * of the given package; {@code java.*} objects are compared with {@code equals}.
     *
     * @param actual   the reused object
     * @param expected the fresh one
     * @param deepPackagePrefix objects of classes under this prefix are compared field by field
     * @return human-readable differences, empty when equal
     */
    static List<String> differences(Object actual, Object expected, String deepPackagePrefix) {
        List<String> out = new ArrayList<>();
        compare("", actual, expected, deepPackagePrefix, out, new IdentityHashMap<>());
        return out;
    }

    private static void compare(String path, Object a, Object e, String deep, List<String> out,
                                IdentityHashMap<Object, Object> seen) {
        if (a == e) {
            return;
        }
        if (a == null || e == null) {
            out.add(path + ": " + describe(a) + " != " + describe(e));
            return;
        }
        if (a.getClass() != e.getClass()) {
            out.add(path + ": class " + a.getClass().getName() + " != " + e.getClass().getName());
            return;
        }
        if (a.getClass().isArray()) {
            int n = Array.getLength(a);
            if (n != Array.getLength(e)) {
                out.add(path + ": array length " + n + " != " + Array.getLength(e));
                return;
            }
            for (int i = 0; i < n; i++) {
                compare(path + "[" + i + "]", Array.get(a, i), Array.get(e, i), deep, out, seen);
            }
            return;
        }
        if (a.getClass() == Object.class) {
            return; // two plain Objects (locks, sentinels) carry no state: equal
        }
        if (!a.getClass().getName().startsWith(deep)) {
            if (a instanceof Collection<?> ca && !(a instanceof List) && !(a instanceof java.util.Set)) {
                if (!new ArrayList<>(ca).equals(new ArrayList<>((Collection<?>) e))) {
                    out.add(path + ": " + a + " != " + e);
                }
            } else if (a instanceof StringBuilder sa) {
                if (!sa.toString().equals(e.toString())) {
                    out.add(path + ": \"" + sa + "\" != \"" + e + "\"");
                }
            } else if (!Objects.equals(a, e)) {
                out.add(path + ": " + describe(a) + " != " + describe(e));
            }
            return;
        }
        if (seen.put(a, e) != null) {
            return;
        }
        for (Class<?> c = a.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue; // every field counts, Shelf's own state included: it must read "fresh from this site"
                }
                f.setAccessible(true);
                try {
                    compare(path + "." + f.getName(), f.get(a), f.get(e), deep, out, seen);
                } catch (IllegalAccessException ex) {
                    throw new AssertionError(ex);
                }
            }
        }
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().isArray() ? o.getClass().getSimpleName() : String.valueOf(o);
    }

    /**
     * Writes a non-default value into every instance field (and into the contents of every collection, map, string
     * builder and array), so that any field a re-initialiser forgets shows up in {@link #differences}.
     *
     * @param o    the object
     * @param seed for repeatable values
     */
    /** Dirties a container's or array's contents in place; false when it cannot be (then the field is replaced). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean scrambleContents(Object v) {
        try {
            if (v instanceof Collection col) {
                col.add(v instanceof java.util.PriorityQueue || v instanceof java.util.TreeSet ? (Object) 7 : "junk");
            } else if (v instanceof Map map) {
                map.put(v instanceof java.util.TreeMap ? "junk" : "junk", "junk");
            } else if (v instanceof StringBuilder sb) {
                sb.append("-scrambled");
            } else if (v instanceof java.util.BitSet bits) {
                bits.set(63);
            } else if (v instanceof byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 7);
            } else if (v instanceof char[] chars) {
                java.util.Arrays.fill(chars, 'q');
            } else if (v instanceof boolean[] flags) {
                java.util.Arrays.fill(flags, true);
            } else if (v instanceof int[] ints) {
                java.util.Arrays.fill(ints, 7);
            } else if (v instanceof long[] longs) {
                java.util.Arrays.fill(longs, 7L);
            } else if (v instanceof Object[] objs) {
                java.util.Arrays.fill(objs, null);
                if (objs.length > 0 && objs.getClass().getComponentType().isAssignableFrom(String.class)) {
                    objs[0] = "scrambled";
                }
            } else {
                return false;
            }
            return true;
        } catch (RuntimeException unsupported) {
            return false; // immutable or typed container: the caller replaces the field instead
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static void scramble(Object o, long seed) {
        Random r = new Random(seed);
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    Class<?> t = f.getType();
                    Object v = f.get(o);
                    if (t == boolean.class) {
                        f.setBoolean(o, !f.getBoolean(o));
                    } else if (t == byte.class) {
                        f.setByte(o, (byte) (f.getByte(o) + 1 + r.nextInt(50)));
                    } else if (t == short.class) {
                        f.setShort(o, (short) (f.getShort(o) + 1 + r.nextInt(50)));
                    } else if (t == char.class) {
                        f.setChar(o, (char) (f.getChar(o) + 1 + r.nextInt(50)));
                    } else if (t == int.class) {
                        f.setInt(o, f.getInt(o) + 1 + r.nextInt(1000));
                    } else if (t == long.class) {
                        f.setLong(o, f.getLong(o) + 1 + r.nextInt(1000));
                    } else if (t == float.class) {
                        f.setFloat(o, f.getFloat(o) + 1 + r.nextFloat());
                    } else if (t == double.class) {
                        f.setDouble(o, f.getDouble(o) + 1 + r.nextDouble());
                    } else if (v != null && scrambleContents(v)) {
                        continue;
                    } else if (t == String.class) {
                        f.set(o, "scrambled-" + r.nextInt());
                    } else if (t.isAssignableFrom(String.class)) {
                        f.set(o, "scrambled");
                    } else {
                        f.set(o, null);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new AssertionError("cannot scramble " + f, e);
                }
            }
        }
    }
}
