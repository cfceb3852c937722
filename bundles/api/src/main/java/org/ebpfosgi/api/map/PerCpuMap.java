package org.ebpfosgi.api.map;

import org.ebpfosgi.api.memory.Region;

/**
 * A map holding one value per CPU ({@code percpu_hash}, {@code percpu_array}, {@code lru_percpu_hash}).
 *
 * <p>Layout as Linux's syscalls use it: {@link #lookup} returns {@link Cpus#count()} values, each
 * rounded up to 8 bytes, concatenated; {@link #update} takes that layout (all CPUs), or exactly
 * {@code value_size} bytes, which sets the calling thread's CPU only (what a program's
 * {@code bpf_map_update_elem} does; a new element's other CPUs start zeroed). {@link #lookupRegion}
 * is the calling thread's CPU value.
 */
public interface PerCpuMap extends EbpfMap {
    /** The live value of {@code key} on {@code cpu} ({@code bpf_map_lookup_percpu_elem}), or null. */
    Region lookupRegionOnCpu(byte[] key, int cpu);

    /** The bytes one CPU's value takes in the all-CPU layout: {@code value_size} rounded up to 8. */
    default int valueStride() {
        return (definition().valueSize() + 7) & ~7;
    }
}
