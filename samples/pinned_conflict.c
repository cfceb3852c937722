/* Declares the pinned name of pinned.c with another value size: loading it after pinned.c must fail. */
#include "common.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} shared_counter SEC(".maps");

SEC("xdp")
long read_shared(struct xdp_md *ctx)
{
    __u32 zero = 0;
    __u32 *count = bpf_map_lookup_elem(&shared_counter, &zero);
    return count ? *count : -1;
}

char LICENSE[] SEC("license") = "GPL";
