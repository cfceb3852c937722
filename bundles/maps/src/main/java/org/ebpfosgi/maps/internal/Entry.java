package org.ebpfosgi.maps.internal;

import org.ebpfosgi.api.memory.Region;

/**
 * One element of a hash-like map. Its storage never moves: regions handed to programs stay valid
 * (and keep aliasing this element) for as long as anybody holds them, even after a delete.
 */
final class Entry {
    /** Owned copy; never changed or handed out. */
    final byte[] key;
    /** The value storage (all CPUs for per-CPU maps), or null for maps holding objects. */
    final byte[] bytes;
    /** The value a program addresses (null for per-CPU maps and maps holding objects). */
    final Region region;
    /** Per-CPU maps: each CPU's value. */
    final Region[] cpuRegions;
    /** Maps of maps: the inner map. */
    final Object ref;

    /** LRU maps: the clock value of the last use, written without a lock (a stale value only blurs the order). */
    long used;
    /** LRU maps, under the map lock: the stamp this entry is ordered by in the heap, and its position. */
    long heapStamp;
    int heapIndex = -1;

    Entry(byte[] key, byte[] bytes, Region region, Region[] cpuRegions, Object ref) {
        this.key = key;
        this.bytes = bytes;
        this.region = region;
        this.cpuRegions = cpuRegions;
        this.ref = ref;
    }
}
