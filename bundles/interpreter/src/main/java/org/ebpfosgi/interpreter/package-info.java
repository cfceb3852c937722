/**
 * The reference interpreter of ebpf-osgi: the {@code interpreter} {@link org.ebpfosgi.api.engine.ExecutionEngine}
 * and the bpf_conformance plugin entry point.
 *
 * <h2>Conventions, in {@link org.ebpfosgi.api.program.ProgramImage} terms</h2>
 * <ul>
 * <li>Entry: r1 and r2 as passed to {@code run} (the context or memory pointer and its length), r10 the
 *     top of the program's 512-byte stack frame; other registers 0.</li>
 * <li>Stack: one region per run holding 9 frames of 512 bytes: the program's own frame and up to 8
 *     nested local calls or helper callbacks. A call 9 deep aborts the run. r6..r9 and r10 are
 *     restored on return. The stack is not cleared between runs.</li>
 * <li>{@code lddw src=0}: the 64-bit constant. {@code src=1} (or 5): the handle of {@code maps().get(imm)}
 *     ({@code Memory.mapHandle}). {@code src=2} (or 6): a pointer into the value of key 0 of
 *     {@code maps().get(imm)} (global data), plus the second word's imm as an unsigned offset.
 *     {@code src=4}: a code address for the instruction at {@code pc + imm + 1} (pc-relative like a local call),
 *     encoded as {@code 0xC0DE0000 << 32 | target}: the high half is above {@code Memory.MAX_ENTRIES}, so it
 *     is never a memory tag. {@code HelperContext.callFunction} and {@code callx} accept these values.
 *     {@code src=3} is refused.</li>
 * <li>{@code call src=0}: helper {@code helpers().get(imm)}; {@code src=2}: {@code namedHelpers().get(imm)};
 *     {@code src=1}: local call to {@code pc + imm + 1}. A missing helper aborts the run when reached,
 *     naming it.</li>
 * <li>{@code callx} (opcode 0x8d, register in the dst field): a code address is a local call; any other value
 *     is a helper id of {@code helpers()} (what the bpf_conformance {@code callx} vector expects).</li>
 * <li>Tail calls ({@code HelperContext.requestTailCall}): honoured from the program's own frame only, at most
 *     33 in a chain; the target starts at instruction 0 in the same frame with r1 = the caller's r1.</li>
 * <li>Legacy packet loads ({@code LD_ABS}/{@code LD_IND}, W/H/B): r0 = the bytes at imm (+ src) of the packet,
 *     read in network byte order. The packet is data..data_end of the context when the program type has packet
 *     pointers, else the region r1 pointed into at entry, from r1's offset to its end. As in Linux, a read out of
 *     bounds ends the run with r0 = 0.</li>
 * <li>Division by zero: quotient 0, remainder the dividend (32-bit forms zero-extend it).</li>
 * <li>Unverified programs run under a budget of backward jumps and calls (the only way to loop); verified
 *     ones do not. Memory checks are never dropped.</li>
 * </ul>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.interpreter;
