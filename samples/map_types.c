/* One XDP program per plain map type; each takes a u32 key from the packet and returns what the map holds. */
#include "common.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} hash_counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} array_counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} percpu_hash_counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} percpu_array_counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} lru_counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} lru_percpu_counts SEC(".maps");

/* Adds one to the value of key in a hash-like map, creating it at 1; returns the new count. */
static __always_inline __u64 bump(void *map, __u32 key)
{
    __u64 *count = bpf_map_lookup_elem(map, &key);
    if (count) {
        __sync_fetch_and_add(count, 1);
        return *count;
    }
    __u64 one = 1;
    if (bpf_map_update_elem(map, &key, &one, BPF_NOEXIST))
        return 0;
    return 1;
}

SEC("xdp")
int count_hash(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    return bump(&hash_counts, key);
}

SEC("xdp")
int count_array(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    __u32 k = key;
    __u64 *count = bpf_map_lookup_elem(&array_counts, &k);
    if (!count)
        return 1000; /* out of range: no slot */
    __sync_fetch_and_add(count, 1);
    return *count;
}

SEC("xdp")
int count_percpu_hash(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    return bump(&percpu_hash_counts, key);
}

SEC("xdp")
int count_percpu_array(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    __u32 k = key;
    __u64 *count = bpf_map_lookup_elem(&percpu_array_counts, &k);
    if (!count)
        return 1000;
    *count += 1;
    return *count;
}

SEC("xdp")
int count_lru(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    return bump(&lru_counts, key);
}

SEC("xdp")
int count_lru_percpu(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    return bump(&lru_percpu_counts, key);
}

/* Deletes the packet's key from the hash map: returns 0, or -ENOENT if it was absent. */
SEC("xdp")
int delete_hash(struct xdp_md *ctx)
{
    long key = first_u32(ctx);
    if (key < 0)
        return XDP_ABORTED;
    __u32 k = key;
    return bpf_map_delete_elem(&hash_counts, &k);
}

char LICENSE[] SEC("license") = "GPL";
