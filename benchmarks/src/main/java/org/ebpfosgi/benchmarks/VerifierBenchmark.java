package org.ebpfosgi.benchmarks;

import java.util.concurrent.TimeUnit;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.api.verifier.VerificationResult;
import org.ebpfosgi.verifier.IntervalVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One verification of one real-world program by the interval verifier: the image (instructions, context,
 * map shapes, helper prototypes) is built once in setup exactly as {@code DefaultRuntime.verify} builds it,
 * so an operation is the analysis and its report, nothing of ELF parsing or map creation.
 * Programs: the six PREVAIL spends most CPU on, the largest one PREVAIL proves safe, three mid-size and two
 * small ones (figures in {@code ../shared/samples/prevail-verdicts.tsv}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// The analysis is large code: C2 needs about 15-20 s of it, on a loaded 2-core machine, before a large program's time settles.
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VerifierBenchmark {
    @Param({
        "cilium/bpf_xdp_snat_linux_v1.o|tail_nodeport_nat_ipv6",
        "cilium/bpf_xdp_snat_linux_v1.o|tail_handle_nat_fwd_ipv6",
        "cilium/bpf_xdp_dsr_linux_v1_1.o|tail_nodeport_nat_ipv6",
        "cilium/bpf_xdp_dsr_linux_v1_1.o|tail_nodeport_nat_ipv4",
        "cilium/bpf_xdp_dsr_linux_v1_1.o|tail_handle_nat_fwd_ipv6",
        "cilium/bpf_xdp_dsr_linux.o|tail_nodeport_nat_ipv6",
        "cilium/bpf_lxc.o|2/7",
        "cilium/bpf_lxc.o|2/12",
        "cilium/bpf_netdev.o|from-netdev",
        "linux/xdp_tx_iptunnel_kern.o|xdp_tx_iptunnel",
        "linux/xdp1_kern.o|xdp1",
        "linux/sockex1_kern.o|socket1",
    })
    public String program;

    private final IntervalVerifier verifier = new IntervalVerifier();
    private ProgramImage image;

    @Setup
    public void setup() throws Exception {
        VerifierFixtures.Prepared prepared = VerifierFixtures.prepare(program);
        image = prepared.image();
        // The image is verified here without the runtime around it: it must get the runtime's answer.
        VerificationResult direct = verify();
        VerificationResult viaRuntime = prepared.viaRuntime();
        if (direct.accepted() != viaRuntime.accepted() || !direct.report().equals(viaRuntime.report())) {
            throw new IllegalStateException(program + ": verifying the recorded image gave\n" + direct.report()
                    + "\nbut the runtime's verification gave\n" + viaRuntime.report());
        }
    }

    @Benchmark
    public VerificationResult verify() {
        return verifier.verify(image);
    }
}
