package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.EbpfMap.ANY;
import static org.ebpfosgi.api.map.EbpfMap.EXIST;
import static org.ebpfosgi.api.map.EbpfMap.NOEXIST;
import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EBADF;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOENT;
import static org.ebpfosgi.maps.TestMaps.assertErrno;
import static org.ebpfosgi.maps.TestMaps.u32;
import static org.ebpfosgi.maps.TestMaps.u64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.map.MapOfMaps;
import org.ebpfosgi.api.map.ObjectIds;
import org.ebpfosgi.api.map.ProgramArrayMap;
import org.junit.jupiter.api.Test;

class ObjectMapsTest {
    static final int PROG_ARRAY = 3, ARRAY_OF_MAPS = 12, HASH_OF_MAPS = 13;

    /** A registry handing out ids, as the runtime would. */
    static final class Ids<T> implements ObjectIds<T> {
        final Map<Integer, T> byId = new HashMap<>();

        int add(int id, T object) {
            byId.put(id, object);
            return id;
        }

        @Override
        public T byId(int id) {
            return byId.get(id);
        }

        @Override
        public int idOf(T object) {
            return byId.entrySet().stream().filter(e -> e.getValue() == object).findFirst().map(Map.Entry::getKey).orElse(0);
        }
    }

    @Test
    void programArrayHoldsProgramsForTailCalls() {
        ProgramArrayMap m = (ProgramArrayMap) TestMaps.create(PROG_ARRAY, 4, 4, 4);
        Object program = new Object();
        m.setProgram(2, program);
        assertSame(program, m.program(2));
        assertNull(m.program(1));
        assertNull(m.program(4));
        assertNull(m.program(-1));
        assertNull(m.lookupRegion(u32(2)));
        assertErrno(E2BIG, () -> m.setProgram(4, program));
        assertErrno(EINVAL, () -> m.lookup(u32(2)));
        assertErrno(EINVAL, () -> m.update(u32(1), u32(7), ANY));
        m.delete(u32(2));
        assertNull(m.program(2));
        assertErrno(ENOENT, () -> m.delete(u32(2)));
        assertErrno(E2BIG, () -> m.delete(u32(9)));
        assertEquals(1, TestMaps.u32(m.nextKey(u32(0)).orElseThrow()));
        assertEquals(Optional.empty(), m.nextKey(u32(3)));
    }

    @Test
    void programArrayBytesWorkWithAnIdResolver() {
        ProgramArrayMap m = (ProgramArrayMap) TestMaps.create(PROG_ARRAY, 4, 4, 4);
        Ids<Object> ids = new Ids<>();
        Object program = new Object();
        ids.add(7, program);
        m.setIdResolver(ids);
        m.update(u32(1), u32(7), ANY);
        assertSame(program, m.program(1));
        assertEquals(7, TestMaps.u32(m.lookup(u32(1)).orElseThrow()));
        assertEquals(Optional.empty(), m.lookup(u32(0)));
        assertErrno(EBADF, () -> m.update(u32(1), u32(8), ANY));
        assertErrno(EINVAL, () -> m.update(u32(1), u32(7), NOEXIST));
        assertErrno(EINVAL, () -> m.update(u32(1), u32(7), EXIST));
        assertErrno(E2BIG, () -> m.update(u32(4), u32(7), ANY));
    }

    @Test
    void programArrayDefinitions() {
        assertErrno(EINVAL, () -> TestMaps.create(PROG_ARRAY, 4, 8, 4));
        assertErrno(EINVAL, () -> TestMaps.create(PROG_ARRAY, 8, 4, 4));
        assertErrno(EINVAL, () -> TestMaps.create(PROG_ARRAY, 4, 4, 4, 1 << 7));
    }

    static MapDefinition outer(int type, int keySize, int max, MapDefinition inner) {
        return new MapDefinition("outer", type, keySize, 4, max, 0, MapDefinition.Pinning.NONE, inner);
    }

    static final MapDefinition INNER_HASH = TestMaps.def(1, 8, 8, 16, 0);

    @Test
    void arrayOfMapsChecksInnerMapsAgainstTheTemplate() {
        MapOfMaps m = (MapOfMaps) MapProviders.create(outer(ARRAY_OF_MAPS, 4, 2, INNER_HASH));
        EbpfMap inner = TestMaps.create(1, 8, 8, 1000); // hash max_entries may differ
        m.setInnerMap(u32(0), inner, ANY);
        assertSame(inner, m.innerMap(u32(0)));
        assertNull(m.innerMap(u32(1)));
        assertNull(m.innerMap(u32(2)));
        assertNull(m.lookupRegion(u32(0)), "programs get inner maps through innerMap, not memory");
        assertErrno(EINVAL, () -> m.setInnerMap(u32(1), TestMaps.create(1, 4, 8, 16), ANY));
        assertErrno(EINVAL, () -> m.setInnerMap(u32(1), TestMaps.create(1, 8, 4, 16), ANY));
        assertErrno(EINVAL, () -> m.setInnerMap(u32(1), TestMaps.create(9, 8, 8, 16), ANY));
        assertErrno(EINVAL, () -> m.setInnerMap(u32(1), TestMaps.create(1, 8, 8, 16, 1), ANY)); // flags differ
        assertErrno(EINVAL, () -> m.setInnerMap(u32(1), inner, NOEXIST));
        assertErrno(E2BIG, () -> m.setInnerMap(u32(2), inner, ANY));
        assertErrno(EINVAL, () -> m.lookup(u32(0)));
        Ids<EbpfMap> ids = new Ids<>();
        ids.add(3, inner);
        m.setIdResolver(ids);
        assertEquals(3, TestMaps.u32(m.lookup(u32(0)).orElseThrow()));
        m.update(u32(1), u32(3), ANY);
        assertSame(inner, m.innerMap(u32(1)));
        assertErrno(EBADF, () -> m.update(u32(1), u32(4), ANY));
        m.delete(u32(1));
        assertErrno(ENOENT, () -> m.delete(u32(1)));
    }

    @Test
    void arrayInnerMapsMustMatchMaxEntriesUnlessInnerMapFlag() {
        MapDefinition template = TestMaps.def(2, 4, 8, 4, 0);
        MapOfMaps strict = (MapOfMaps) MapProviders.create(outer(HASH_OF_MAPS, 4, 4, template));
        assertErrno(EINVAL, () -> strict.setInnerMap(u32(1), TestMaps.create(2, 4, 8, 5), ANY));
        strict.setInnerMap(u32(1), TestMaps.create(2, 4, 8, 4), ANY);
        MapDefinition dynamic = TestMaps.def(2, 4, 8, 4, 1 << 12); // BPF_F_INNER_MAP
        MapOfMaps loose = (MapOfMaps) MapProviders.create(outer(HASH_OF_MAPS, 4, 4, dynamic));
        loose.setInnerMap(u32(1), TestMaps.create(2, 4, 8, 100, 1 << 12), ANY);
    }

    @Test
    void hashOfMapsUsesHashFlags() {
        MapOfMaps m = (MapOfMaps) MapProviders.create(outer(HASH_OF_MAPS, 8, 2, INNER_HASH));
        EbpfMap a = TestMaps.create(1, 8, 8, 16);
        EbpfMap b = TestMaps.create(1, 8, 8, 16);
        assertErrno(ENOENT, () -> m.setInnerMap(u64(1), a, EXIST));
        m.setInnerMap(u64(1), a, NOEXIST);
        assertErrno(EEXIST, () -> m.setInnerMap(u64(1), b, NOEXIST));
        m.setInnerMap(u64(1), b, EXIST);
        assertSame(b, m.innerMap(u64(1)));
        m.setInnerMap(u64(2), a, ANY);
        assertErrno(E2BIG, () -> m.setInnerMap(u64(3), a, ANY));
        assertTrue(m.nextKey(null).isPresent());
        m.delete(u64(1));
        assertErrno(ENOENT, () -> m.delete(u64(1)));
        assertNull(m.innerMap(u64(1)));
    }

    @Test
    void outerDefinitionsAreChecked() {
        assertErrno(EBADF, () -> MapProviders.create(outer(ARRAY_OF_MAPS, 4, 2, null)));
        assertErrno(EINVAL, () -> MapProviders.create(outer(ARRAY_OF_MAPS, 4, 2,
                outer(ARRAY_OF_MAPS, 4, 2, INNER_HASH))));
        assertErrno(EINVAL, () -> MapProviders.create(new MapDefinition("o", HASH_OF_MAPS, 8, 8, 2, 0,
                MapDefinition.Pinning.NONE, INNER_HASH)));
        MapOfMaps m = (MapOfMaps) MapProviders.create(outer(HASH_OF_MAPS, 8, 2, INNER_HASH));
        MapOfMaps nested = (MapOfMaps) MapProviders.create(outer(ARRAY_OF_MAPS, 4, 2, INNER_HASH));
        assertErrno(EINVAL, () -> m.setInnerMap(u64(1), nested, ANY));
    }
}
