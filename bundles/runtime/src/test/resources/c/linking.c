// Built by LinkingTest with clang-19: static and global subprograms, a bpf_loop callback
// (a function address, lddw src=4), global data and an extern (kfunc-style) function.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile int limit = 7;
int counter = 3;
long total;

extern int platform_extra(int value) __ksym;

static __attribute__((noinline)) int twice(int v) { return v * 2; }

__attribute__((noinline)) int add_limit(int v) { return twice(v) + limit; }

static long step(__u32 index, void *ctx) {
    total += index;
    return 0;
}

SEC("xdp")
int entry(struct xdp_md *ctx) {
    bpf_loop(4, step, 0, 0);
    counter = add_limit(counter);
    return platform_extra(counter) > 0 ? XDP_PASS : XDP_DROP;
}

SEC("tc")
int second(struct __sk_buff *skb) {
    return twice(skb->len);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
