/*
 * Calls a helper that no Linux kernel has: ebpfosgi_test_add, shipped by a third-party bundle and
 * resolved by name (kfunc style). The program waits until a bundle provides it.
 */
#include "common.h"

extern long ebpfosgi_test_add(long a, long b) __ksym;

SEC("xdp")
int add_with_bundle_helper(struct xdp_md *ctx)
{
    return ebpfosgi_test_add(40, 2);
}

char LICENSE[] SEC("license") = "GPL";
