/* Ring buffer records: one reserved and submitted, one output, both carrying a running sequence number. */
#include "common.h"

struct event {
    __u64 seq;
    __u32 word;
    __u32 kind;
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

__u64 sequence = 0;

/* Emits two records per run: kind 1 through reserve/submit, kind 2 through output. Returns the records emitted. */
SEC("xdp")
int emit(struct xdp_md *ctx)
{
    long word = first_u32(ctx);
    if (word < 0)
        return XDP_ABORTED;
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    e->seq = ++sequence;
    e->word = word;
    e->kind = 1;
    bpf_ringbuf_submit(e, 0);
    struct event copy = { .seq = ++sequence, .word = word, .kind = 2 };
    if (bpf_ringbuf_output(&events, &copy, sizeof(copy), 0))
        return 1;
    return 2;
}

/* Reserves a record and discards it: nothing reaches the consumer. Returns the bytes the ring holds. */
SEC("xdp")
long reserve_discard(struct xdp_md *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return -1;
    e->seq = 0xdead;
    bpf_ringbuf_discard(e, 0);
    return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
}

char LICENSE[] SEC("license") = "GPL";
