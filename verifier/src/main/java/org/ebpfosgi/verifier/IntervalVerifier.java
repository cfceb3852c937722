package org.ebpfosgi.verifier;

import java.util.ArrayList;
import java.util.List;

import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.api.verifier.Diagnostic;
import org.ebpfosgi.api.verifier.VerificationResult;
import org.ebpfosgi.api.verifier.Verifier;
import org.ebpfosgi.isa.Decoder;
import org.ebpfosgi.isa.Disassembler;
import org.ebpfosgi.isa.Instruction;
import org.ebpfosgi.verifier.internal.Analysis;
import org.ebpfosgi.verifier.internal.AnalysisResult;
import org.ebpfosgi.verifier.internal.Platform;
import org.osgi.service.component.annotations.Component;

/**
 * The verifier service: abstract interpretation of the program over register types, signed and
 * unsigned intervals, packet bounds relative to pointer variables, and the stack's contents, with
 * every local call analysed in its calling context. Its report names each instruction that may be
 * unsafe, with the instruction and the condition that could not be proven.
 */
@Component(service = Verifier.class, property = "service.ranking:Integer=0")
public final class IntervalVerifier implements Verifier {
    @Override
    public String name() {
        return "interval";
    }

    @Override
    public VerificationResult verify(ProgramImage image) {
        long[] code = image.instructions();
        AnalysisResult result;
        try {
            result = Analysis.analyze(code, Platform.of(image));
        } catch (RuntimeException | StackOverflowError e) {
            // The analysis must answer for any input; a failure of its own is a rejection, never a pass.
            List<Diagnostic> d = List.of(new Diagnostic(Diagnostic.Severity.ERROR, 0, "0",
                    "internal error of the verifier: " + e));
            return new VerificationResult(false, d, image.name() + ": rejected: internal error of the verifier: " + e);
        }
        return new VerificationResult(result.safe(), result.diagnostics(), report(image, code, result.diagnostics()),
                result.terminates());
    }

    static String report(ProgramImage image, long[] code, List<Diagnostic> diagnostics) {
        long errors = diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).count();
        if (diagnostics.isEmpty()) {
            return image.name() + " (" + image.programType() + "): safe, " + code.length + " instructions";
        }
        String[] text = new String[code.length];
        try {
            for (Instruction insn : Decoder.decode(code)) {
                text[insn.slot()] = Disassembler.format(insn);
            }
        } catch (RuntimeException e) {
            // A malformed program is reported by its own diagnostic; no instruction text then.
        }
        List<String> lines = new ArrayList<>();
        lines.add(image.name() + " (" + image.programType() + "): " + (errors == 0 ? "safe, with warnings:"
                : errors + " unproven safety condition" + (errors == 1 ? "" : "s") + ":"));
        for (Diagnostic d : diagnostics) {
            String insn = d.pc() >= 0 && d.pc() < text.length && text[d.pc()] != null ? "   [" + text[d.pc()] + "]" : "";
            lines.add("  " + (d.severity() == Diagnostic.Severity.WARNING ? "warning: " : "") + d.label() + ": "
                    + d.message() + insn);
        }
        return String.join("\n", lines);
    }
}
