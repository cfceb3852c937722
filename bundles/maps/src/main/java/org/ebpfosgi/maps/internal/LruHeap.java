package org.ebpfosgi.maps.internal;

import java.util.Arrays;

/**
 * Finds the least recently used entry of an LRU map exactly, while lookups only write a stamp.
 *
 * <p>A min-heap ordered by each entry's {@code heapStamp}, a past value of its {@code used} stamp
 * (so {@code heapStamp <= used}). The top is refreshed lazily: if it was used since it was placed,
 * its stamp is updated and it sinks; once the top is current it is truly the least recently used.
 * All methods run under the owning map's lock.
 */
final class LruHeap {
    private Entry[] heap = new Entry[16];
    private int size;

    void add(Entry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        e.heapStamp = e.used;
        heap[size] = e;
        e.heapIndex = size;
        up(size++);
    }

    void remove(Entry e) {
        int i = e.heapIndex;
        if (i < 0) {
            return;
        }
        e.heapIndex = -1;
        Entry last = heap[--size];
        heap[size] = null;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            down(i);
            up(last.heapIndex);
        }
    }

    /** {@code fresh} takes {@code old}'s place (an update of the same key). */
    void replace(Entry old, Entry fresh) {
        int i = old.heapIndex;
        old.heapIndex = -1;
        fresh.heapStamp = old.heapStamp;
        fresh.heapIndex = i;
        heap[i] = fresh;
    }

    /** The least recently used entry, or null if empty. */
    Entry leastRecentlyUsed() {
        // Each refresh raises the top's stamp; bound the loop in case lookups keep racing ahead.
        for (int rounds = 0; size > 0; rounds++) {
            Entry top = heap[0];
            long used = top.used;
            if (used == top.heapStamp || rounds > 2 * size) {
                return top;
            }
            top.heapStamp = used;
            down(0);
        }
        return null;
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(heap, 0, size, null);
        size = 0;
    }

    private void up(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (p.heapStamp <= e.heapStamp) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void down(int i) {
        Entry e = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].heapStamp < heap[child].heapStamp) {
                child++;
            }
            Entry c = heap[child];
            if (e.heapStamp <= c.heapStamp) {
                break;
            }
            heap[i] = c;
            c.heapIndex = i;
            i = child;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
