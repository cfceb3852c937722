/* Device maps read by an XDP program (Java fills them; programs may only look up, as in Linux). */
#include "common.h"

struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, struct bpf_devmap_val);
} ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, struct bpf_devmap_val);
} ports_by_id SEC(".maps");

/* The ifindex at devmap[key] plus 1000 times the one at devmap_hash[key]; 0 for empty entries. */
SEC("xdp")
long egress_of(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    __u32 k = key;
    long result = 0;
    struct bpf_devmap_val *v = bpf_map_lookup_elem(&ports, &k);
    if (v)
        result += v->ifindex;
    v = bpf_map_lookup_elem(&ports_by_id, &k);
    if (v)
        result += 1000L * v->ifindex;
    return result;
}

char LICENSE[] SEC("license") = "GPL";
