/* A map pinned by name: a second load of this object reuses it (libbpf LIBBPF_PIN_BY_NAME). */
#include "common.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} shared_counter SEC(".maps");

/* Adds one to the shared counter and returns it. */
SEC("xdp")
long bump_shared(struct xdp_md *ctx)
{
    __u32 zero = 0;
    __u64 *count = bpf_map_lookup_elem(&shared_counter, &zero);
    if (!count)
        return -1;
    return __sync_add_and_fetch(count, 1);
}

char LICENSE[] SEC("license") = "GPL";
