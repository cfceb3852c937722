package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.EINVAL;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Optional;
import org.ebpfosgi.api.map.DeviceMap;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.memory.Region;

/** {@code devmap_hash} (type 25): device entries under arbitrary u32 keys. */
public final class DevMapHash extends BaseMap implements DeviceMap {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private final HashTable table;

    private DevMapHash(MapDefinition d) {
        super(d);
        this.table = new HashTable(4, maxEntries, false);
    }

    public static DevMapHash create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.DEVMAP_HASH);
        DevMaps.validate(d);
        return new DevMapHash(d);
    }

    private Entry entry(int key) {
        return table.get(Keys.u32Bytes(Integer.toUnsignedLong(key)), 0);
    }

    @Override
    public int ifindex(int key) {
        Entry e = entry(key);
        return e == null ? 0 : (int) INT.get(e.bytes, 0);
    }

    @Override
    public int programField(int key) {
        Entry e = entry(key);
        return e == null || valueSize != 8 ? 0 : (int) INT.get(e.bytes, 4);
    }

    @Override
    public Region lookupRegion(byte[] key) {
        checkKey(key);
        Entry e = table.get(key, 0);
        return e == null ? null : e.region;
    }

    @Override
    public Region lookupRegion(byte[] keyArray, int keyOffset) {
        checkKeyAt(keyArray, keyOffset);
        Entry e = table.get(keyArray, keyOffset);
        return e == null ? null : e.region;
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        ensureOpen();
        checkKey(key);
        Entry e = table.get(key, 0);
        return e == null ? Optional.empty() : Optional.of(e.bytes.clone());
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        ensureOpen();
        checkKey(key);
        checkUpdateFlags(flags);
        checkValue(value);
        if ((int) INT.get(value, 0) == 0) {
            throw error(EINVAL, "ifindex 0 names no interface");
        }
        byte[] bytes = value.clone();
        Entry fresh = new Entry(key.clone(), bytes, Region.of(Region.Kind.MAP_VALUE, name, bytes, 0, valueSize, false), null, null);
        putInTable(table, fresh, flags);
    }

    @Override
    public void delete(byte[] key) {
        deleteFromTable(table, key);
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        return nextKeyInTable(table, key);
    }

    @Override
    public void close() {
        closeTable(table);
    }
}
