/** BPF Type Format ({@code .BTF}) and its extension ({@code .BTF.ext}: function and source-line records). Internal to the runtime. */
package org.ebpfosgi.runtime.btf;
