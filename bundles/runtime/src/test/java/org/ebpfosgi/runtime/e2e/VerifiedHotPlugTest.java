package org.ebpfosgi.runtime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.ebpfosgi.api.helper.ArgKind;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperContext;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.ebpfosgi.api.runtime.LoadOptions;
import org.ebpfosgi.api.runtime.Program;
import org.ebpfosgi.verifier.IntervalVerifier;
import org.junit.jupiter.api.Test;

/**
 * A verified load whose helper arrives later: the program waits, is verified against the helper that
 * comes (its prototype is part of the proof), and runs only if that proof holds.
 */
class VerifiedHotPlugTest {
    /** ebpfosgi_test_add(a, b) = a + b, as the test-helper bundle provides it, with a given prototype. */
    private static Helper add(HelperPrototype prototype) {
        return new Helper() {
            @Override public int id() { return UNNUMBERED; }
            @Override public String name() { return "ebpfosgi_test_add"; }
            @Override public HelperPrototype prototype() { return prototype; }
            @Override public long call(HelperContext context, long r1, long r2, long r3, long r4, long r5) { return r1 + r2; }
        };
    }

    private static Program loadKfuncSample(SampleRuntime rt) throws Exception {
        List<Program> programs = rt.runtime.load(rt.open("kfunc_add"), LoadOptions.defaults());
        assertEquals(1, programs.size());
        Program p = programs.get(0);
        assertEquals("waiting for helper ebpfosgi_test_add", p.status(), "verification waits for the helper");
        return p;
    }

    @Test
    void theProgramIsVerifiedWhenItsHelperArrivesAndThenRuns() throws Exception {
        SampleRuntime rt = new SampleRuntime();
        rt.runtime.addVerifier(new IntervalVerifier(), Map.of());
        Program p = loadKfuncSample(rt);
        Helper helper = add(HelperPrototype.of(ReturnKind.INTEGER, ArgKind.ANYTHING, ArgKind.ANYTHING));
        rt.runtime.addHelper(helper, Map.of());
        assertEquals("loaded (" + SampleRuntime.ENGINE + ")", p.status());
        assertEquals(42, p.testRun(new byte[64], new byte[0], 1).returnValue());
        rt.runtime.removeHelper(helper);
        assertEquals("waiting for helper ebpfosgi_test_add", p.status());
    }

    @Test
    void aHelperWhosePrototypeTheProgramViolatesDoesNotMakeItRun() throws Exception {
        SampleRuntime rt = new SampleRuntime();
        rt.runtime.addVerifier(new IntervalVerifier(), Map.of());
        Program p = loadKfuncSample(rt);
        // The program passes the number 40 where this helper wants the context.
        rt.runtime.addHelper(add(HelperPrototype.of(ReturnKind.INTEGER, ArgKind.PTR_TO_CTX, ArgKind.ANYTHING)), Map.of());
        assertTrue(p.status().startsWith("rejected by the verifier: ") && p.status().contains("ebpfosgi_test_add argument 1"),
                p.status());
        // A helper that fits replaces it: the program is proven again and runs.
        Helper fitting = add(HelperPrototype.of(ReturnKind.INTEGER, ArgKind.ANYTHING, ArgKind.ANYTHING));
        rt.runtime.addHelper(fitting, Map.of("service.ranking", 5));
        assertEquals("loaded (" + SampleRuntime.ENGINE + ")", p.status());
    }
}
