package org.ebpfosgi.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebpfosgi.api.program.ProgramImage;
import org.ebpfosgi.api.runtime.EbpfObject;
import org.ebpfosgi.api.runtime.LoadException;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.api.verifier.VerificationResult;
import org.ebpfosgi.api.verifier.Verifier;
import org.ebpfosgi.helpers.core.CoreHelpers;
import org.ebpfosgi.maps.MapProviders;
import org.ebpfosgi.runtime.internal.DefaultRuntime;
import org.ebpfosgi.verifier.IntervalVerifier;

/**
 * The programs of {@code ../shared/samples} that {@link VerifierBenchmark} verifies, as the runtime presents
 * them to its verifier, and PREVAIL's figures for them ({@code prevail-verdicts.tsv}). A program is named
 * by its key: object path relative to {@code ../shared/samples}, {@code |}, function name.
 */
final class VerifierFixtures {
    /** A program as the verifier sees it, and the verdict the runtime's own call got. */
    record Prepared(ProgramImage image, VerificationResult viaRuntime) {
    }

    /** PREVAIL's line for a program: instruction slots, verdict, CPU seconds, peak RSS and first error. */
    record Prevail(String instructions, String verdict, String cpuSeconds, String peakRssKb, String firstError) {
    }

    private VerifierFixtures() {
    }

    /** {@code ../shared/samples}, from the repository root (see {@link BenchPrograms#directory()}). */
    static Path samples() {
        Path samples = BenchPrograms.directory().resolveSibling("samples");
        if (!Files.isDirectory(samples)) {
            throw new IllegalStateException(samples + " not found; pass -Debpf.repo.root=<repository root>");
        }
        return samples;
    }

    /**
     * Opens the program's object in a runtime wired as a framework would wire it (every map type, the core
     * helpers) and verifies it once through {@link DefaultRuntime#verify}, which builds the image (context of
     * its program type, maps of their declared shapes, registered helpers) that the image this returns is.
     * The image is taken from a verifier registered above the interval verifier that records what it is
     * given: the runtime has no public way to build an image without verifying it. The image's maps are
     * closed by then; the verifier reads only their definitions.
     */
    static Prepared prepare(String key) throws IOException, ObjectFormatException, LoadException {
        int bar = key.lastIndexOf('|');
        if (bar <= 0) {
            throw new IllegalArgumentException("program key '" + key + "' is not <object>|<function>");
        }
        Path object = samples().resolve(key.substring(0, bar));
        String function = key.substring(bar + 1);
        RecordingVerifier recorder = new RecordingVerifier(new IntervalVerifier());
        DefaultRuntime runtime = new DefaultRuntime();
        MapProviders.all().forEach(runtime::addMapType);
        CoreHelpers.all().forEach(h -> runtime.addHelper(h, Map.of()));
        runtime.addVerifier(recorder, Map.of("service.ranking", 1));
        EbpfObject opened = runtime.open(object);
        VerificationResult result = runtime.verify(opened, function);
        if (recorder.image == null) {
            throw new IllegalStateException(key + ": the runtime did not call the recording verifier");
        }
        return new Prepared(recorder.image, result);
    }

    /** PREVAIL's figures by program key. */
    static Map<String, Prevail> prevail() throws IOException {
        Map<String, Prevail> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(samples().resolve("prevail-verdicts.tsv"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length >= 7) {
                out.put(f[0] + "|" + f[2], new Prevail(f[3], f[4], f[5], f[6], f.length > 7 ? f[7] : ""));
            }
        }
        return out;
    }

    /** Delegates, keeping the last image it was asked about. */
    private static final class RecordingVerifier implements Verifier {
        private final Verifier delegate;
        private ProgramImage image;

        RecordingVerifier(Verifier delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return "recording " + delegate.name();
        }

        @Override
        public VerificationResult verify(ProgramImage image) {
            this.image = image;
            return delegate.verify(image);
        }
    }
}
