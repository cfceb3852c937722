package org.ebpfosgi.api.map;

/**
 * A {@code devmap} or {@code devmap_hash}: keys are u32, values {@code struct bpf_devmap_val}
 * ({@code u32 ifindex}, optionally followed by a {@code u32} program fd/id for a program to run on
 * the redirected frame). Programs may read values (read-only); {@code bpf_redirect_map} uses
 * {@link #ifindex}.
 */
public interface DeviceMap extends EbpfMap {
    /** The interface index at {@code key}, or 0 if there is none. */
    int ifindex(int key);

    /** The program field of the value at {@code key} (0 if none or if values are 4 bytes). */
    int programField(int key);
}
