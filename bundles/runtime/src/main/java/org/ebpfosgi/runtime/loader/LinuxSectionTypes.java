package org.ebpfosgi.runtime.loader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * libbpf's section-name conventions (its {@code section_defs} table), with program types named after
 * Linux's {@code enum bpf_prog_type} without the prefix ({@code xdp}, {@code sched_cls},
 * {@code cgroup_sock_addr}, ...), plus ebpf-for-windows' {@code bind}.
 * <p>
 * A name matches a definition exactly or as {@code prefix/...}. Older objects (the Linux samples built
 * with {@code bpf_load.c}, iproute2's and PREVAIL's conventions) also used bare prefixes such as
 * {@code socket1} or {@code xdp_redirect_map}; the definitions marked legacy still match those, after
 * every strict match failed. The longest matching definition wins.
 */
public final class LinuxSectionTypes implements SectionTypeResolver {
    private static final LinuxSectionTypes INSTANCE = new LinuxSectionTypes();

    private record Definition(String prefix, String type, boolean legacy) {}

    private static final List<Definition> DEFINITIONS = new ArrayList<>();

    static {
        legacy("socket", "socket_filter");
        strict("sk_reuseport", "sk_reuseport");
        strict("sk_reuseport/migrate", "sk_reuseport");
        for (String p : List.of("kprobe", "kretprobe", "uprobe", "uretprobe", "uprobe.s", "uretprobe.s", "kprobe.multi",
                "kretprobe.multi", "uprobe.multi", "uretprobe.multi", "uprobe.multi.s", "uretprobe.multi.s",
                "kprobe.session", "ksyscall", "kretsyscall", "usdt", "usdt.s")) {
            strict(p, "kprobe");
        }
        for (String p : List.of("tc/ingress", "tc/egress", "tcx/ingress", "tcx/egress", "tc", "netkit/primary", "netkit/peer")) {
            strict(p, "sched_cls");
        }
        legacy("classifier", "sched_cls");
        legacy("action", "sched_act");
        strict("tracepoint", "tracepoint");
        strict("tp", "tracepoint");
        strict("raw_tracepoint", "raw_tracepoint");
        strict("raw_tp", "raw_tracepoint");
        strict("raw_tracepoint.w", "raw_tracepoint_writable");
        strict("raw_tp.w", "raw_tracepoint_writable");
        for (String p : List.of("tp_btf", "fentry", "fmod_ret", "fexit", "fentry.s", "fmod_ret.s", "fexit.s", "iter", "iter.s")) {
            strict(p, "tracing");
        }
        strict("freplace", "ext");
        for (String p : List.of("lsm", "lsm.s", "lsm_cgroup")) {
            strict(p, "lsm");
        }
        for (String p : List.of("xdp.frags/devmap", "xdp/devmap", "xdp.frags/cpumap", "xdp/cpumap", "xdp.frags")) {
            strict(p, "xdp");
        }
        legacy("xdp", "xdp");
        legacy("perf_event", "perf_event");
        strict("lwt_in", "lwt_in");
        strict("lwt_out", "lwt_out");
        strict("lwt_xmit", "lwt_xmit");
        strict("lwt_seg6local", "lwt_seg6local");
        legacy("sockops", "sock_ops");
        for (String p : List.of("sk_skb/stream_parser", "sk_skb/stream_verdict", "sk_skb/verdict")) {
            strict(p, "sk_skb");
        }
        legacy("sk_skb", "sk_skb");
        legacy("sk_msg", "sk_msg");
        strict("lirc_mode2", "lirc_mode2");
        strict("flow_dissector", "flow_dissector");
        strict("cgroup_skb/ingress", "cgroup_skb");
        strict("cgroup_skb/egress", "cgroup_skb");
        legacy("cgroup/skb", "cgroup_skb");
        for (String p : List.of("cgroup/sock_create", "cgroup/sock_release", "cgroup/post_bind4", "cgroup/post_bind6")) {
            strict(p, "cgroup_sock");
        }
        legacy("cgroup/sock", "cgroup_sock");
        for (String family : List.of("4", "6", "_unix")) {
            for (String op : List.of("bind", "connect", "sendmsg", "recvmsg", "getpeername", "getsockname")) {
                if (!(op.equals("bind") && family.equals("_unix"))) {
                    strict("cgroup/" + op + family, "cgroup_sock_addr");
                }
            }
        }
        strict("cgroup/dev", "cgroup_device");
        strict("cgroup/sysctl", "cgroup_sysctl");
        strict("cgroup/getsockopt", "cgroup_sockopt");
        strict("cgroup/setsockopt", "cgroup_sockopt");
        strict("struct_ops", "struct_ops");
        strict("struct_ops.s", "struct_ops");
        strict("sk_lookup", "sk_lookup");
        strict("syscall", "syscall");
        strict("netfilter", "netfilter");
        strict("bind", "bind");
        DEFINITIONS.sort(Comparator.comparingInt((Definition d) -> d.prefix.length()).reversed());
    }

    private static void strict(String prefix, String type) {
        DEFINITIONS.add(new Definition(prefix, type, false));
    }

    private static void legacy(String prefix, String type) {
        DEFINITIONS.add(new Definition(prefix, type, true));
    }

    private LinuxSectionTypes() {}

    public static LinuxSectionTypes instance() { return INSTANCE; }

    @Override
    public String programType(String section) {
        if (section == null) {
            return null;
        }
        for (Definition d : DEFINITIONS) {
            if (section.equals(d.prefix) || (!d.prefix.endsWith("/") && section.startsWith(d.prefix + "/"))) {
                return d.type;
            }
        }
        for (Definition d : DEFINITIONS) {
            if (d.legacy && section.startsWith(d.prefix)) {
                return d.type;
            }
        }
        return null;
    }

    /** Every program type name of the table, for providers that register "verify-only" types. */
    public static List<String> typeNames() {
        return DEFINITIONS.stream().map(Definition::type).distinct().sorted().toList();
    }
}
