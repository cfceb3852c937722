/* LPM trie lookups and queue/stack push and pop. */
#include "common.h"

struct ipv4_prefix {
    __u32 prefixlen;
    __u32 addr; /* network byte order */
};

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 16);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct ipv4_prefix);
    __type(value, __u32);
} routes SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 4);
    __type(value, __u32);
} fifo SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_STACK);
    __uint(max_entries, 4);
    __type(value, __u32);
} lifo SEC(".maps");

/* The value of the longest prefix matching the packet's first 4 bytes (an IPv4 address), or 0. */
SEC("xdp")
int route_lookup(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    if (data + 4 > end)
        return XDP_ABORTED;
    struct ipv4_prefix key = { .prefixlen = 32, .addr = *(__u32 *)data };
    __u32 *value = bpf_map_lookup_elem(&routes, &key);
    return value ? *value : 0;
}

/* Pushes the packet's first u32 onto both the queue and the stack; returns 0 or the push error. */
SEC("xdp")
int push_both(struct xdp_md *ctx)
{
    long v = first_u32(ctx);
    if (v < 0)
        return XDP_ABORTED;
    __u32 value = v;
    long err = bpf_map_push_elem(&fifo, &value, 0);
    if (err)
        return err;
    return bpf_map_push_elem(&lifo, &value, 0);
}

/* Pops one value from each: returns queue value << 32 | stack value, or -1 if either is empty. */
SEC("xdp")
long pop_both(struct xdp_md *ctx)
{
    __u32 q, s;
    if (bpf_map_pop_elem(&fifo, &q) || bpf_map_pop_elem(&lifo, &s))
        return -1;
    return ((long)q << 32) | s;
}

/* Peeks at the queue head without removing it; -1 if empty. */
SEC("xdp")
long peek_queue(struct xdp_md *ctx)
{
    __u32 q;
    if (bpf_map_peek_elem(&fifo, &q))
        return -1;
    return q;
}

char LICENSE[] SEC("license") = "GPL";
