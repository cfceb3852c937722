/* Tail calls through a program array whose slots the object fills (BTF __array values). */
#include "common.h"

SEC("xdp")
int slot_zero(struct xdp_md *ctx)
{
    return 100;
}

SEC("xdp")
int slot_one(struct xdp_md *ctx)
{
    return 101;
}

/* Filled at run time from Java: not in the initial slots. */
SEC("xdp")
int slot_spare(struct xdp_md *ctx)
{
    return 102;
}

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __array(values, int (void *));
} jump_table SEC(".maps") = {
    .values = {
        [0] = (void *)&slot_zero,
        [1] = (void *)&slot_one,
    },
};

/* Tail-calls the slot the packet's first byte names; returns 7 when the slot is empty (the call falls through). */
SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    if (data + 1 > end)
        return XDP_ABORTED;
    __u8 slot = *(__u8 *)data;
    bpf_tail_call(ctx, &jump_table, slot);
    return 7;
}

char LICENSE[] SEC("license") = "GPL";
