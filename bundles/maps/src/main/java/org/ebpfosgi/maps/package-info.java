/**
 * The map types of the platform, one {@link org.ebpfosgi.api.map.MapTypeProvider} service each
 * (service properties {@code ebpf.map.type}, the Linux type number, and {@code ebpf.map.type.name},
 * bpftool's name). Not exported: bundles use the services; plain Java code may use {@link MapProviders}.
 */
package org.ebpfosgi.maps;
