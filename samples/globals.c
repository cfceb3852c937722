/* Global data (.rodata, .data, .bss), bpf-to-bpf calls, bpf_loop with a callback, bpf_printk. */
#include "common.h"

const volatile __u64 multiplier = 3;     /* .rodata */
__u64 runs = 100;                        /* .data */
__u64 last_sum;                          /* .bss */
long last_printk;                        /* .bss */

/* A real call (not inlined): sum of 1..n times the .rodata multiplier. */
static __noinline __u64 triangle(__u64 n)
{
    return n * (n + 1) / 2 * multiplier;
}

static __noinline __u64 twice(__u64 x)
{
    return triangle(x) * 2;
}

struct loop_state {
    __u64 sum;
    __u32 limit;
};

static long add_index(__u32 index, void *arg)
{
    struct loop_state *s = arg;
    s->sum += index;
    return index + 1 >= s->limit; /* 1 stops the loop */
}

/* n = first byte: returns twice(n) (a call chain), counts runs in .data, and remembers the sum in .bss. */
SEC("xdp")
long compute(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    if (data + 1 > end)
        return -1;
    __u8 n = *(__u8 *)data;
    runs++;
    last_sum = twice(n);
    return last_sum;
}

/* Sums 0..limit-1 through bpf_loop (limit = first byte, at most 100 iterations); returns sum << 32 | iterations. */
SEC("xdp")
long loop_sum(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    if (data + 1 > end)
        return -1;
    struct loop_state s = { .sum = 0, .limit = *(__u8 *)data };
    long iterations = bpf_loop(100, add_index, &s, 0);
    return (long)(s.sum << 32) | iterations;
}

/* Prints a line; stores bpf_printk's result (the line's length) in .bss and returns it. */
SEC("xdp")
long say(struct xdp_md *ctx)
{
    last_printk = bpf_printk("runs=%llu", runs);
    return last_printk;
}

char LICENSE[] SEC("license") = "GPL";
