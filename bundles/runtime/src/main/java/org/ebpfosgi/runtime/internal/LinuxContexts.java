package org.ebpfosgi.runtime.internal;

import java.util.Map;
import org.ebpfosgi.api.program.ContextDescriptor;

/**
 * Context layouts of Linux program types (from {@code linux/bpf.h}), used for objects whose program
 * type no hook bundle provides yet: they can be verified and test-run, not attached.
 */
final class LinuxContexts {
    private static final ContextDescriptor SK_BUFF = new ContextDescriptor(192, 76, 80, 140);
    private static final Map<String, ContextDescriptor> BY_TYPE = Map.ofEntries(
            Map.entry("xdp", new ContextDescriptor(24, 0, 4, 8)),
            Map.entry("socket_filter", SK_BUFF),
            Map.entry("sched_cls", SK_BUFF),
            Map.entry("sched_act", SK_BUFF),
            Map.entry("cgroup_skb", SK_BUFF),
            Map.entry("lwt_in", SK_BUFF),
            Map.entry("lwt_out", SK_BUFF),
            Map.entry("lwt_xmit", SK_BUFF),
            Map.entry("lwt_seg6local", SK_BUFF),
            Map.entry("sk_skb", SK_BUFF),
            Map.entry("sk_msg", new ContextDescriptor(80, 0, 8, -1)),
            Map.entry("sock_ops", ContextDescriptor.plain(216)),
            Map.entry("cgroup_sock_addr", ContextDescriptor.plain(72)),
            Map.entry("cgroup_sock", ContextDescriptor.plain(80)),
            Map.entry("kprobe", ContextDescriptor.plain(168)),
            // struct bpf_perf_event_data: pt_regs, sample_period, addr.
            Map.entry("perf_event", ContextDescriptor.plain(184)),
            // Tracepoint records differ per tracepoint; the bound is a page, and each run checks the real record.
            Map.entry("tracepoint", ContextDescriptor.plain(4096)),
            Map.entry("raw_tracepoint", ContextDescriptor.plain(4096)),
            // ebpf-for-windows bind_md: app id start/end pointers, pid, sockaddr[16], length, operation, protocol.
            Map.entry("bind", new ContextDescriptor(56, 0, 8, -1)));

    private LinuxContexts() {
    }

    /** The layout of a Linux program type; for types not listed, a context of the test input's size. */
    static ContextDescriptor of(String programType) {
        ContextDescriptor d = programType == null ? null : BY_TYPE.get(programType);
        return d != null ? d : ContextDescriptor.plain(0);
    }
}
