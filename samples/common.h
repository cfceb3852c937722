/* Shared by the samples: libbpf's helper declarations and the XDP verdicts. */
#ifndef SAMPLES_COMMON_H
#define SAMPLES_COMMON_H
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* The first little-endian u32 of the packet, or -1 if the packet is shorter. */
static __always_inline long first_u32(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    if (data + 4 > end)
        return -1;
    return *(__u32 *)data;
}
#endif
