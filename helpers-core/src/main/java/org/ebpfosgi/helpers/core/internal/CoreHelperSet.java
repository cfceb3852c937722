package org.ebpfosgi.helpers.core.internal;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ebpfosgi.api.helper.Helper;

/** Every helper class of this bundle, for {@code CoreHelpers.all()}; DS finds the same classes by annotation. */
public final class CoreHelperSet {
    private CoreHelperSet() {
    }

    public static List<Helper> create() {
        return Stream.<Helper>of(
                new MapLookupElem(), new MapUpdateElem(), new MapDeleteElem(), new MapLookupAndDeleteElem(),
                new MapPushElem(), new MapPopElem(), new MapPeekElem(), new MapLookupPercpuElem(),
                new TailCall(), new ForEachMapElem(), new Loop(),
                new KtimeGetNs(), new KtimeGetBootNs(), new KtimeGetCoarseNs(), new Jiffies64(),
                new GetPrandomU32(), new GetSmpProcessorId(), new GetNumaNodeId(),
                new GetCurrentPidTgid(), new GetCurrentUidGid(), new GetCurrentComm(),
                new TracePrintk(), new TraceVprintk(), new Snprintf(), new Strncmp(), new CsumDiff(),
                new ProbeRead(), new ProbeReadStr(), new ProbeReadKernel(), new ProbeReadKernelStr(),
                new RingbufOutput(), new RingbufReserve(), new RingbufSubmit(), new RingbufDiscard(), new RingbufQuery())
                .sorted(Comparator.comparingLong(h -> h.id() == Helper.UNNUMBERED ? Long.MAX_VALUE : h.id()))
                .collect(Collectors.toUnmodifiableList());
    }
}
