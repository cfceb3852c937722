package org.ebpfosgi.maps;

import static org.ebpfosgi.api.map.EbpfMap.ANY;
import static org.ebpfosgi.api.map.EbpfMap.EXIST;
import static org.ebpfosgi.api.map.EbpfMap.NOEXIST;
import static org.ebpfosgi.api.map.MapException.E2BIG;
import static org.ebpfosgi.api.map.MapException.EEXIST;
import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOENT;
import static org.ebpfosgi.maps.TestMaps.assertErrno;
import static org.ebpfosgi.maps.TestMaps.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.ebpfosgi.api.map.DeviceMap;
import org.ebpfosgi.api.memory.Region;
import org.junit.jupiter.api.Test;

class DevMapTest {
    static final int DEVMAP = 14, DEVMAP_HASH = 25;

    static byte[] val(int ifindex, int program) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(ifindex).putInt(program).array();
    }

    @Test
    void devmapSlotsHoldInterfaces() {
        DeviceMap m = (DeviceMap) TestMaps.create(DEVMAP, 4, 8, 4);
        assertEquals(0, m.ifindex(1));
        assertEquals(Optional.empty(), m.lookup(u32(1)));
        assertNull(m.lookupRegion(u32(1)));
        m.update(u32(1), val(5, 0), ANY);
        m.update(u32(2), val(6, 9), EXIST);
        assertEquals(5, m.ifindex(1));
        assertEquals(6, m.ifindex(2));
        assertEquals(9, m.programField(2));
        assertEquals(0, m.ifindex(7));
        assertEquals(0, m.ifindex(-1));
        assertArrayEquals(val(6, 9), m.lookup(u32(2)).orElseThrow());
        Region r = m.lookupRegion(u32(2));
        assertFalse(r.writable(), "programs read device map values only");
        assertEquals(8, r.length());
        assertErrno(EEXIST, () -> m.update(u32(1), val(5, 0), NOEXIST));
        assertErrno(E2BIG, () -> m.update(u32(4), val(5, 0), ANY));
        assertErrno(EINVAL, () -> m.update(u32(1), val(0, 3), ANY));
        assertErrno(EINVAL, () -> m.update(u32(1), val(5, 0), 3));
        m.delete(u32(1));
        m.delete(u32(1)); // Linux: deleting an empty devmap slot succeeds
        assertEquals(0, m.ifindex(1));
        assertErrno(EINVAL, () -> m.delete(u32(4)));
        assertEquals(1, TestMaps.u32(m.nextKey(u32(0)).orElseThrow()), "devmap iterates every slot");
        m.update(u32(2), val(0, 0), ANY); // ifindex 0 empties the slot
        assertEquals(Optional.empty(), m.lookup(u32(2)));
    }

    @Test
    void devmapHashKeysAreSparse() {
        DeviceMap m = (DeviceMap) TestMaps.create(DEVMAP_HASH, 4, 4, 2);
        assertErrno(ENOENT, () -> m.update(u32(1000), u32(3), EXIST));
        m.update(u32(1000), u32(3), NOEXIST);
        assertErrno(EEXIST, () -> m.update(u32(1000), u32(4), NOEXIST));
        m.update(u32(-5), u32(4), ANY);
        assertErrno(E2BIG, () -> m.update(u32(7), u32(4), ANY));
        assertErrno(EINVAL, () -> m.update(u32(7), u32(0), ANY));
        assertEquals(3, m.ifindex(1000));
        assertEquals(4, m.ifindex(-5));
        assertEquals(0, m.programField(1000));
        assertEquals(0, m.ifindex(7));
        assertFalse(m.lookupRegion(u32(1000)).writable());
        m.delete(u32(1000));
        assertErrno(ENOENT, () -> m.delete(u32(1000)));
        assertEquals(-5, TestMaps.u32(m.nextKey(null).orElseThrow()));
        assertEquals(Optional.empty(), m.nextKey(u32(-5)));
    }

    @Test
    void definitionsAreCheckedLikeLinux() {
        for (int type : new int[] {DEVMAP, DEVMAP_HASH}) {
            assertErrno(EINVAL, () -> TestMaps.create(type, 4, 6, 4));
            assertErrno(EINVAL, () -> TestMaps.create(type, 8, 4, 4));
            assertErrno(EINVAL, () -> TestMaps.create(type, 4, 4, 0));
            assertErrno(EINVAL, () -> TestMaps.create(type, 4, 4, 4, 1));
        }
    }
}
