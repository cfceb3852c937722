package org.ebpfosgi.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.ebpfosgi.api.map.MapException;
import org.ebpfosgi.api.map.MapTypeProvider;
import org.junit.jupiter.api.Test;

class ProvidersTest {
    /** Linux's enum bpf_map_type numbers with bpftool's names. */
    static final Map<Integer, String> LINUX = Map.ofEntries(Map.entry(1, "hash"), Map.entry(2, "array"),
            Map.entry(3, "prog_array"), Map.entry(5, "percpu_hash"), Map.entry(6, "percpu_array"),
            Map.entry(9, "lru_hash"), Map.entry(10, "lru_percpu_hash"), Map.entry(11, "lpm_trie"),
            Map.entry(12, "array_of_maps"), Map.entry(13, "hash_of_maps"), Map.entry(14, "devmap"),
            Map.entry(22, "queue"), Map.entry(23, "stack"), Map.entry(25, "devmap_hash"), Map.entry(27, "ringbuf"));

    @Test
    void everyTypeHasOneProviderWithLinuxNumberAndName() {
        Set<Integer> types = new HashSet<>();
        for (MapTypeProvider p : MapProviders.all()) {
            assertTrue(types.add(p.type()), "duplicate type " + p.type());
            assertEquals(LINUX.get(p.type()), p.name());
        }
        assertEquals(LINUX.keySet(), types);
    }

    /**
     * bnd turns each provider's {@code @Component} into OSGI-INF XML when it packages the jar, after the
     * tests; here we check the input it reads: the annotation and its properties in the class file.
     */
    @Test
    void eachProviderIsADeclarativeServicesComponent() throws Exception {
        for (MapTypeProvider p : MapProviders.all()) {
            String resource = "/" + p.getClass().getName().replace('.', '/') + ".class";
            try (InputStream in = ProvidersTest.class.getResourceAsStream(resource)) {
                assertNotNull(in, resource);
                String classFile = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(classFile.contains("Lorg/osgi/service/component/annotations/Component;"), resource);
                assertTrue(classFile.contains("ebpf.map.type:Integer=" + p.type()), resource);
                assertTrue(classFile.contains("ebpf.map.type.name=" + p.name()), resource);
                assertTrue(classFile.contains("L" + MapTypeProvider.class.getName().replace('.', '/') + ";"), resource);
            }
        }
    }

    @Test
    void providersRefuseOtherTypesAndUnknownTypesAreReported() {
        for (MapTypeProvider p : MapProviders.all()) {
            int other = p.type() == 1 ? 2 : 1;
            MapException e = org.junit.jupiter.api.Assertions.assertThrows(MapException.class,
                    () -> p.create(TestMaps.def(other, 4, 8, 4, 0)));
            assertEquals(MapException.EINVAL, e.errno());
        }
        TestMaps.assertErrno(MapException.EINVAL, () -> TestMaps.create(4, 4, 4, 4)); // perf_event_array: not provided
    }
}
