/** A checked reader of relocatable ELF64 little-endian BPF objects: sections, symbols, relocations. Internal to the runtime. */
package org.ebpfosgi.runtime.elf;
