/* Array of maps and hash of maps with inner maps chosen in the object (BTF __array values). */
#include "common.h"

struct inner_array {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
};

struct inner_array inner_a SEC(".maps");
struct inner_array inner_b SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 2);
    __type(key, __u32);
    __array(values, struct inner_array);
} outer_array SEC(".maps") = {
    .values = { [0] = &inner_a, [1] = &inner_b },
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
    __uint(max_entries, 4);
    __type(key, __u32);
    __array(values, struct inner_array);
} outer_hash SEC(".maps") = {
    .values = { [3] = &inner_b },
};

static __always_inline long bump_inner(void *outer, __u32 key, __u64 amount)
{
    void *inner = bpf_map_lookup_elem(outer, &key);
    if (!inner)
        return -1;
    __u32 zero = 0;
    __u64 *value = bpf_map_lookup_elem(inner, &zero);
    if (!value)
        return -2;
    *value += amount;
    return *value;
}

/* Adds 1 to slot 0 of the inner map at outer_array[packet u32]; returns its new value, -1 if no inner map. */
SEC("xdp")
long via_array(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    return bump_inner(&outer_array, key, 1);
}

/* Adds 10 to slot 0 of the inner map at outer_hash[packet u32]. */
SEC("xdp")
long via_hash(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    return bump_inner(&outer_hash, key, 10);
}

char LICENSE[] SEC("license") = "GPL";
