/*
 * Parses Ethernet/IPv4/UDP with bounds checks and counts packets per UDP destination port.
 * Port 7 (echo) is bounced: MACs, addresses and ports swapped, XDP_TX. Port 9 (discard) is dropped.
 */
#include "common.h"

#define ETH_P_IP 0x0800
#define IPPROTO_UDP 17

/* Declared here: linux/if_ether.h and linux/ip.h pull in headers that fail under -target bpf on Debian. */
struct eth {
    __u8 dst[6];
    __u8 src[6];
    __be16 proto;
};

struct ipv4 {
    __u8 ihl_version;
    __u8 tos;
    __be16 tot_len;
    __be16 id;
    __be16 frag_off;
    __u8 ttl;
    __u8 protocol;
    __sum16 check;
    __be32 saddr;
    __be32 daddr;
};

struct udp {
    __be16 source;
    __be16 dest;
    __be16 len;
    __sum16 check;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u16);   /* destination port, host order */
    __type(value, __u64); /* packets */
} port_counts SEC(".maps");

SEC("xdp")
int udp_count(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    struct eth *eth = data;
    if ((void *)(eth + 1) > end)
        return XDP_PASS;
    if (eth->proto != __builtin_bswap16(ETH_P_IP))
        return XDP_PASS;
    struct ipv4 *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end)
        return XDP_PASS;
    if ((ip->ihl_version >> 4) != 4 || ip->protocol != IPPROTO_UDP)
        return XDP_PASS;
    __u32 ihl = (ip->ihl_version & 0x0f) * 4;
    if (ihl < sizeof(*ip))
        return XDP_DROP;
    struct udp *udp = (void *)ip + ihl;
    if ((void *)(udp + 1) > end)
        return XDP_DROP;
    __u16 port = __builtin_bswap16(udp->dest);
    __u64 *count = bpf_map_lookup_elem(&port_counts, &port);
    if (count) {
        __sync_fetch_and_add(count, 1);
    } else {
        __u64 one = 1;
        bpf_map_update_elem(&port_counts, &port, &one, BPF_ANY);
    }
    if (port == 9)
        return XDP_DROP;
    if (port == 7) {
        __u8 mac[6];
        __builtin_memcpy(mac, eth->dst, 6);
        __builtin_memcpy(eth->dst, eth->src, 6);
        __builtin_memcpy(eth->src, mac, 6);
        __be32 addr = ip->saddr;
        ip->saddr = ip->daddr;
        ip->daddr = addr;
        __be16 p = udp->source;
        udp->source = udp->dest;
        udp->dest = p;
        return XDP_TX;
    }
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
