package dev.shelf.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Turns the platform's garbage-collection notifications into one call per collection cycle, with a verdict on
 * memory pressure.
 *
 * <p>Only {@code java.management} is used (the notification type and its open-data payload are read by name rather
 * than through {@code com.sun.management} classes), and nothing touches {@code java.util.logging} or the platform
 * MBean server, so installing the watch from an agent's {@code premain} does not initialise anything the
 * application may want to configure first.
 *
 * <p><b>What counts as a collection.</b> Every collector bean that reports whole cycles: G1's young and old
 * generations, Parallel, Serial, ZGC's and Shenandoah's cycle beans. Beans that report the individual pauses of a
 * concurrent cycle ({@code "... Pauses"}) and G1's {@code "G1 Concurrent GC"} are ignored: they would count one
 * cycle several times and make idle objects look older than they are.
 *
 * <p><b>Pressure.</b> The heap is under pressure when, right after a collection, it is still at least
 * {@link #PRESSURE} full (used after the collection, summed over the heap pools, against {@code -Xmx}). A collection
 * that leaves the heap that full did not free enough; pooled idle objects are then the cheapest memory to give back
 * — .NET's {@code ArrayPool} trims on the same signal.
 */
final class GcWatch implements NotificationListener {

    /** Fraction of the maximum heap still in use after a collection above which pooled objects are all dropped. */
    static final double PRESSURE = 0.90;

    private static final String GC_NOTIFICATION = "com.sun.management.gc.notification";

    private final Consumer<Boolean> onGc;
    private final Set<String> heapPools = new HashSet<>();
    private final long maxHeap;

    private GcWatch(Consumer<Boolean> onGc) {
        this.onGc = onGc;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        this.maxHeap = Runtime.getRuntime().maxMemory();
    }

    /**
     * Listens to every collector that reports whole cycles.
     *
     * @param onGc called once per collection with {@code true} when the heap is under pressure
     * @return how many collectors are watched; 0 when the platform offers no notifications
     */
    static int install(Consumer<Boolean> onGc) {
        GcWatch watch = new GcWatch(onGc);
        int watched = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (countsCycles(gc.getName()) && gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(watch, null, null);
                watched++;
            }
        }
        return watched;
    }

    static boolean countsCycles(String collectorName) {
        return !collectorName.endsWith("Pauses") && !collectorName.equals("G1 Concurrent GC");
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!GC_NOTIFICATION.equals(n.getType())) {
            return;
        }
        boolean pressure = false;
        try {
            pressure = underPressure((CompositeData) n.getUserData());
        } catch (RuntimeException e) {
            // An unexpected payload shape must not stop the trimming; treat it as a collection without pressure.
        }
        onGc.accept(pressure);
    }

    private boolean underPressure(CompositeData info) {
        if (maxHeap == Long.MAX_VALUE || maxHeap <= 0) {
            return false;
        }
        CompositeData gcInfo = (CompositeData) info.get("gcInfo");
        TabularData after = (TabularData) gcInfo.get("memoryUsageAfterGc");
        long used = 0;
        for (Object row : after.values()) {
            CompositeData entry = (CompositeData) row;
            if (heapPools.contains((String) entry.get("key"))) {
                used += (Long) ((CompositeData) entry.get("value")).get("used");
            }
        }
        return used >= PRESSURE * maxHeap;
    }
}
