package org.ebpfosgi.helpers.core;

import static org.ebpfosgi.api.helper.ArgKind.ANYTHING;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE;
import static org.ebpfosgi.api.helper.ArgKind.CONST_SIZE_OR_ZERO;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_ALLOC_MEM;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_CTX;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_FUNC;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_KEY;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_OF_PROGRAMS;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_MAP_VALUE;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_READABLE_MEM;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_READABLE_MEM_OR_NULL;
import static org.ebpfosgi.api.helper.ArgKind.PTR_TO_WRITABLE_MEM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ebpfosgi.api.helper.ArgKind;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.api.helper.HelperPrototype;
import org.ebpfosgi.api.helper.ReturnKind;
import org.junit.jupiter.api.Test;

/** Ids against libbpf's bpf_helper_defs.h, prototypes against the kernel's bpf_func_proto tables. */
class CoreHelpersTest {
    private static final Path HELPER_DEFS = Path.of("/usr/include/bpf/bpf_helper_defs.h");
    private static final Pattern DEFINITION = Pattern.compile("\\(\\*(bpf_\\w+)\\)\\(.*\\)\\s*=\\s*\\(void \\*\\)\\s*(\\d+);");

    private final List<Helper> helpers = CoreHelpers.all();

    @Test
    void idsAreLibbpfs() throws IOException {
        assertTrue(Files.isReadable(HELPER_DEFS), HELPER_DEFS + " missing: run bin/install-test-deps (Debian libbpf-dev)");
        Map<String, Integer> linux = new HashMap<>();
        for (String line : Files.readAllLines(HELPER_DEFS)) {
            Matcher m = DEFINITION.matcher(line);
            if (m.find()) {
                linux.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        assertTrue(linux.size() > 200, "parsed only " + linux.size() + " helpers");
        for (Helper helper : helpers) {
            if (helper.id() == Helper.UNNUMBERED) {
                assertFalse(linux.containsKey(helper.name()), helper.name() + " has a Linux id but is unnumbered");
            } else {
                assertEquals(linux.get(helper.name()), helper.id(), helper.name());
            }
        }
    }

    @Test
    void namesAndIdsAreUnique() {
        Set<String> names = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        for (Helper helper : helpers) {
            assertTrue(names.add(helper.name()), helper.name());
            assertTrue(helper.id() == Helper.UNNUMBERED || ids.add(helper.id()), helper.name());
        }
        assertEquals(35, helpers.size());
    }

    /**
     * The kernel's prototypes (kernel/bpf/helpers.c, kernel/trace/bpf_trace.c, net/core/filter.c,
     * kernel/bpf/ringbuf.c) in the API's vocabulary. Where the API has no exact kind the nearest is used,
     * as each helper's documentation says: pop/peek (Linux: uninit map value), snprintf's str (mem or NULL)
     * and fmt (const string), strncmp's s2 (const string), bpf_loop's and for_each's callback_ctx (stack or
     * NULL).
     */
    @Test
    void prototypesAreLinuxs() {
        Map<String, HelperPrototype> expected = new HashMap<>();
        expected.put("bpf_map_lookup_elem", HelperPrototype.of(ReturnKind.PTR_TO_MAP_VALUE_OR_NULL, PTR_TO_MAP, PTR_TO_MAP_KEY));
        expected.put("bpf_map_update_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, ANYTHING));
        expected.put("bpf_map_delete_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_MAP_KEY));
        expected.put("bpf_map_lookup_and_delete_elem", HelperPrototype.of(ReturnKind.PTR_TO_MAP_VALUE_OR_NULL, PTR_TO_MAP, PTR_TO_MAP_KEY));
        expected.put("bpf_map_push_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_MAP_VALUE, ANYTHING));
        expected.put("bpf_map_pop_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_MAP_VALUE));
        expected.put("bpf_map_peek_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_MAP_VALUE));
        expected.put("bpf_map_lookup_percpu_elem", HelperPrototype.of(ReturnKind.PTR_TO_MAP_VALUE_OR_NULL, PTR_TO_MAP, PTR_TO_MAP_KEY, ANYTHING));
        // long bpf_tail_call(...) in bpf_helper_defs.h: a failed tail call returns a negative error the program may return.
        expected.put("bpf_tail_call", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_CTX, PTR_TO_MAP_OF_PROGRAMS, ANYTHING));
        expected.put("bpf_for_each_map_elem", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_FUNC, ANYTHING, ANYTHING));
        expected.put("bpf_loop", HelperPrototype.of(ReturnKind.INTEGER, ANYTHING, PTR_TO_FUNC, ANYTHING, ANYTHING));
        for (String noArgs : List.of("bpf_ktime_get_ns", "bpf_ktime_get_boot_ns", "bpf_ktime_get_coarse_ns", "bpf_jiffies64",
                "bpf_get_prandom_u32", "bpf_get_smp_processor_id", "bpf_get_numa_node_id", "bpf_get_current_pid_tgid",
                "bpf_get_current_uid_gid")) {
            expected.put(noArgs, HelperPrototype.of(ReturnKind.INTEGER));
        }
        expected.put("bpf_trace_printk", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_READABLE_MEM, CONST_SIZE));
        expected.put("bpf_trace_vprintk", HelperPrototype.of(ReturnKind.INTEGER,
                PTR_TO_READABLE_MEM, CONST_SIZE, PTR_TO_READABLE_MEM_OR_NULL, CONST_SIZE_OR_ZERO));
        expected.put("bpf_snprintf", HelperPrototype.of(ReturnKind.INTEGER,
                PTR_TO_WRITABLE_MEM, CONST_SIZE_OR_ZERO, ANYTHING, PTR_TO_READABLE_MEM_OR_NULL, CONST_SIZE_OR_ZERO));
        expected.put("bpf_strncmp", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_READABLE_MEM, CONST_SIZE, ANYTHING));
        expected.put("bpf_csum_diff", HelperPrototype.of(ReturnKind.INTEGER,
                PTR_TO_READABLE_MEM_OR_NULL, CONST_SIZE_OR_ZERO, PTR_TO_READABLE_MEM_OR_NULL, CONST_SIZE_OR_ZERO, ANYTHING));
        for (String probe : List.of("bpf_probe_read", "bpf_probe_read_str", "bpf_probe_read_kernel", "bpf_probe_read_kernel_str")) {
            expected.put(probe, HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_WRITABLE_MEM, CONST_SIZE_OR_ZERO, ANYTHING));
        }
        expected.put("bpf_get_current_comm", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_WRITABLE_MEM, CONST_SIZE));
        expected.put("bpf_ringbuf_output", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, PTR_TO_READABLE_MEM, CONST_SIZE_OR_ZERO, ANYTHING));
        expected.put("bpf_ringbuf_reserve", HelperPrototype.of(ReturnKind.PTR_TO_ALLOC_MEM_OR_NULL, PTR_TO_MAP, CONST_SIZE_OR_ZERO, ANYTHING));
        expected.put("bpf_ringbuf_submit", HelperPrototype.of(ReturnKind.VOID, PTR_TO_ALLOC_MEM, ANYTHING));
        expected.put("bpf_ringbuf_discard", HelperPrototype.of(ReturnKind.VOID, PTR_TO_ALLOC_MEM, ANYTHING));
        expected.put("bpf_ringbuf_query", HelperPrototype.of(ReturnKind.INTEGER, PTR_TO_MAP, ANYTHING));

        assertEquals(expected.keySet(), names());
        for (Helper helper : helpers) {
            HelperPrototype want = expected.get(helper.name());
            assertEquals(want.returns(), helper.prototype().returns(), helper.name());
            assertEquals(want.args(), helper.prototype().args(), helper.name());
            assertFalse(helper.prototype().reallocatesPacket(), helper.name());
        }
    }

    @Test
    void sizeArgumentsFollowTheirMemory() {
        for (Helper helper : helpers) {
            List<ArgKind> args = helper.prototype().args();
            for (int i = 0; i < args.size(); i++) {
                ArgKind arg = args.get(i);
                boolean memory = arg == PTR_TO_READABLE_MEM || arg == PTR_TO_READABLE_MEM_OR_NULL || arg == PTR_TO_WRITABLE_MEM;
                if (memory) {
                    assertTrue(i + 1 < args.size() && (args.get(i + 1) == CONST_SIZE || args.get(i + 1) == CONST_SIZE_OR_ZERO),
                            helper.name() + " argument " + (i + 1));
                }
            }
        }
    }

    @Test
    void orderedById() {
        long previous = Long.MIN_VALUE;
        for (Helper helper : helpers) {
            long id = helper.id() == Helper.UNNUMBERED ? Long.MAX_VALUE : helper.id();
            assertTrue(id >= previous, helper.name());
            previous = id;
            assertNotNull(helper.toString());
        }
    }

    /** Every Helper class is a DS component (the annotation stays in the class file) and is in all(). */
    @Test
    void everyHelperClassIsAComponentAndListed() throws Exception {
        Path classes = Path.of(CoreHelpers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path internal = classes.resolve("org/ebpfosgi/helpers/core/internal");
        Set<Class<?>> listed = new HashSet<>();
        helpers.forEach(h -> listed.add(h.getClass()));
        Set<Class<?>> found = new HashSet<>();
        try (var files = Files.list(internal)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                Class<?> type = Class.forName("org.ebpfosgi.helpers.core.internal." + name.substring(0, name.length() - 6));
                if (Helper.class.isAssignableFrom(type) && !java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
                    found.add(type);
                    String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertTrue(bytes.contains("Lorg/osgi/service/component/annotations/Component;"), type + " is not a component");
                }
            }
        }
        assertEquals(listed, found);
    }

    private Set<String> names() {
        Set<String> names = new HashSet<>();
        helpers.forEach(h -> names.add(h.name()));
        return names;
    }
}
