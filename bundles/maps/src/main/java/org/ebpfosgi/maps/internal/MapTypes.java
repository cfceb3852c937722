package org.ebpfosgi.maps.internal;

/** Linux's {@code enum bpf_map_type} numbers and the {@code map_flags} bits the map types check. */
public final class MapTypes {
    public static final int HASH = 1, ARRAY = 2, PROG_ARRAY = 3, PERCPU_HASH = 5, PERCPU_ARRAY = 6,
            LRU_HASH = 9, LRU_PERCPU_HASH = 10, LPM_TRIE = 11, ARRAY_OF_MAPS = 12, HASH_OF_MAPS = 13,
            DEVMAP = 14, QUEUE = 22, STACK = 23, DEVMAP_HASH = 25, RINGBUF = 27;

    public static final int F_NO_PREALLOC = 1, F_NO_COMMON_LRU = 1 << 1, F_NUMA_NODE = 1 << 2,
            F_RDONLY = 1 << 3, F_WRONLY = 1 << 4, F_ZERO_SEED = 1 << 6, F_RDONLY_PROG = 1 << 7,
            F_WRONLY_PROG = 1 << 8, F_MMAPABLE = 1 << 10, F_PRESERVE_ELEMS = 1 << 11, F_INNER_MAP = 1 << 12;
    public static final int F_ACCESS_MASK = F_RDONLY | F_RDONLY_PROG | F_WRONLY | F_WRONLY_PROG;

    /** Linux's {@code MAX_BPF_STACK}: keys are built on the program stack, so no larger. */
    public static final int MAX_BPF_STACK = 512;
    /** Linux's {@code KMALLOC_MAX_SIZE} on x86-64 (4 MiB): the bound of one element. */
    public static final long KMALLOC_MAX_SIZE = 1L << 22;
    /** Linux's {@code PCPU_MIN_UNIT_SIZE}: the bound of one per-CPU value. */
    public static final int PCPU_MIN_UNIT_SIZE = 32 << 10;
    public static final int PAGE_SIZE = 4096;

    private MapTypes() { }
}
