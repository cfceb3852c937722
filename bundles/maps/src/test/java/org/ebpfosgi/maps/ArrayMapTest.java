package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.EbpfMap.ANY;
import static org.ebpfosgi.api.map.EbpfMap.EXIST;
import static org.ebpfosgi.api.map.EbpfMap.NOEXIST;
import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOMEM;
import static org.ebpfosgi.maps.TestMaps.assertErrno;
import static org.ebpfosgi.maps.TestMaps.create;
import static org.ebpfosgi.maps.TestMaps.u32;
import static org.ebpfosgi.maps.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.api.Test;

class ArrayMapTest {
    static final int ARRAY = 2;

    @Test
    void elementsAlwaysExistAndStartZeroed() {
        EbpfMap m = create(ARRAY, 4, 12, 3);
        assertArrayEquals(new byte[12], m.lookup(u32(2)).orElseThrow());
        assertEquals(Optional.empty(), m.lookup(u32(3)));
        assertNull(m.lookupRegion(u32(3)));
        assertNull(m.lookupRegion(u32(-1)));
        byte[] v = new byte[12];
        v[11] = 7;
        m.update(u32(1), v, ANY);
        m.update(u32(1), v, EXIST);
        assertArrayEquals(v, m.lookup(u32(1)).orElseThrow());
        assertErrno(EEXIST, () -> m.update(u32(1), v, NOEXIST));
        assertErrno(E2BIG, () -> m.update(u32(3), v, ANY));
        assertErrno(EINVAL, () -> m.update(u32(0), v, 3));
        assertErrno(EINVAL, () -> m.update(u32(0), new byte[8], ANY));
        assertErrno(EINVAL, () -> m.delete(u32(0)));
        assertErrno(EINVAL, () -> m.lookup(new byte[8]));
    }

    @Test
    void regionsAreAlignedLiveAndCached() {
        EbpfMap m = create(ARRAY, 4, 12, 5000);
        Region r = m.lookupRegion(u32(4321));
        assertEquals(12, r.length());
        assertEquals(0, r.base() % 8, "elements are 8-byte aligned like Linux's");
        assertSame(r, m.lookupRegion(u32(4321)));
        byte[] stack = new byte[16];
        System.arraycopy(u32(4321), 0, stack, 6, 4);
        assertSame(r, m.lookupRegion(stack, 6));
        r.bytes()[r.base() + 11] = 5;
        assertEquals(5, m.lookup(u32(4321)).orElseThrow()[11]);
        assertEquals(0, m.lookup(u32(4322)).orElseThrow()[0], "neighbours untouched");
    }

    @Test
    void readOnlyForProgramsGivesReadOnlyRegions() {
        EbpfMap m = create(ARRAY, 4, 8, 1, 1 << 7); // BPF_F_RDONLY_PROG, as .rodata
        assertFalse(m.lookupRegion(u32(0)).writable());
        m.update(u32(0), u64(3), ANY); // the loader still fills it from Java
        assertEquals(3, u64(m.lookup(u32(0)).orElseThrow()));
        assertTrue(create(ARRAY, 4, 8, 1, 1 << 10).lookupRegion(u32(0)).writable()); // BPF_F_MMAPABLE
    }

    @Test
    void nextKeyFollowsIndexOrder() {
        EbpfMap m = create(ARRAY, 4, 4, 3);
        assertEquals(0, u32(m.nextKey(null).orElseThrow()));
        assertEquals(1, u32(m.nextKey(u32(0)).orElseThrow()));
        assertEquals(2, u32(m.nextKey(u32(1)).orElseThrow()));
        assertEquals(Optional.empty(), m.nextKey(u32(2)));
        assertEquals(0, u32(m.nextKey(u32(3)).orElseThrow()), "out of range restarts");
        assertEquals(0, u32(m.nextKey(u32(-1)).orElseThrow()));
    }

    @Test
    void definitionsAreCheckedLikeLinux() {
        assertErrno(EINVAL, () -> create(ARRAY, 8, 4, 1));
        assertErrno(EINVAL, () -> create(ARRAY, 4, 0, 1));
        assertErrno(EINVAL, () -> create(ARRAY, 4, 4, 0));
        assertErrno(EINVAL, () -> create(ARRAY, 4, 4, 1, 1)); // BPF_F_NO_PREALLOC
        assertErrno(EINVAL, () -> create(ARRAY, 4, 4, 1, 1 << 11)); // BPF_F_PRESERVE_ELEMS
        assertErrno(EINVAL, () -> create(6, 4, 4, 1, 1 << 10)); // per-CPU arrays are not mmapable
        assertErrno(EINVAL, () -> create(6, 4, 4, 1, 1 << 2)); // nor NUMA-bound
        assertErrno(E2BIG, () -> create(ARRAY, 4, (1 << 22) + 1, 1));
        assertErrno(ENOMEM, () -> create(ARRAY, 4, 1 << 20, 1 << 20)); // a terabyte: refused, not an OOM
        create(ARRAY, 4, 4, 1, 1 << 12); // BPF_F_INNER_MAP
    }

    @Test
    void atomicIncrementsFromManyThreadsAddUpExactly() throws Exception {
        TestMaps.assumeMemoryAtomics();
        EbpfMap m = create(ARRAY, 4, 8, 2);
        int threads = 8;
        int increments = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    Memory memory = new Memory();
                    for (int i = 0; i < increments; i++) {
                        memory.reset();
                        memory.atomic(Memory.AtomicOp.ADD, memory.map(m.lookupRegion(u32(1))), 8, 3, 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3L * threads * increments, u64(m.lookup(u32(1)).orElseThrow()));
        assertEquals(0, u64(m.lookup(u32(0)).orElseThrow()));
    }
}
