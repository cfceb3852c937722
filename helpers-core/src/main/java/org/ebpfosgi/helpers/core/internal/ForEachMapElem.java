package org.ebpfosgi.helpers.core.internal;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_FUNC;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.map.EbpfMap;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.memory.Memory;
import org.ebpfosgi.api.memory.Region;
import org.osgi.service.component.annotations.Component;

/**
 * {@code long bpf_for_each_map_elem(void *map, void *callback_fn, void *callback_ctx, u64 flags)}: calls
 * {@code callback_fn(map, key, value, callback_ctx)} for each element until a nonzero return; returns the
 * number of calls (the stopping one included), -EINVAL for nonzero flags.
 *
 * <p>The keys are taken first (at most max_entries, in the map's get-next-key order), so the callback may
 * delete elements, as Linux allows for hash maps; an element deleted before its turn is skipped. Each key
 * is passed in one read-only buffer mapped for the whole walk; each value is the live value (this CPU's for
 * per-CPU maps), so the callback may update it in place.
 */
@Component(service = Helper.class)
public final class ForEachMapElem extends CoreHelper {
    public ForEachMapElem() {
        super(164, "bpf_for_each_map_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_FUNC, ANYTHING, ANYTHING));
    }

    @Override
    public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) {
        Memory memory = context.memory();
        EbpfMap map = memory.handle(r1, EbpfMap.class);
        if (r4 != 0) {
            return Errno.fail(Errno.EINVAL);
        }
        List<byte[]> keys;
        try {
            keys = keys(map);
        } catch (MapException refused) {
            return Errno.fail(refused.errno());
        }
        byte[] keyBuffer = new byte[map.definition().keySize()];
        long keyAddress = memory.map(Region.of(Region.Kind.HELPER_BUFFER, map.definition().name() + " key", keyBuffer).readOnly());
        long calls = 0;
        for (byte[] key : keys) {
            Region value;
            try {
                value = map.lookupRegion(key);
            } catch (MapException refused) {
                return Errno.fail(refused.errno());
            }
            if (value == null) {
                continue;
            }
            System.arraycopy(key, 0, keyBuffer, 0, keyBuffer.length);
            calls++;
            if (context.callFunction(r2, r1, keyAddress, memory.map(value), r3, 0) != 0) {
                break;
            }
        }
        return calls;
    }

    /** The map's keys in get-next-key order; stops early if the walk wraps around (a concurrent delete). */
    private static List<byte[]> keys(EbpfMap map) {
        int limit = Math.max(0, map.definition().maxEntries());
        List<byte[]> keys = new ArrayList<>();
        byte[] previous = null;
        while (keys.size() < limit) {
            Optional<byte[]> next = map.nextKey(previous);
            if (next.isEmpty() || (!keys.isEmpty() && Arrays.equals(next.get(), keys.get(0)))) {
                break;
            }
            previous = next.get();
            keys.add(previous);
        }
        return keys;
    }
}
