package org.ebpfosgi.api.map;

/**
 * A {@code prog_array}: the targets of {@code bpf_tail_call}. Slots hold engine programs (the
 * runtime's executable objects). The byte-based {@link #update}/{@link #lookup} work with 4-byte
 * program ids as Linux tools do, once {@link #setIdResolver} gave the map a resolver; without one
 * they fail with EINVAL. {@link #lookupRegion} is always null: programs cannot read the slots.
 */
public interface ProgramArrayMap extends EbpfMap {
    /** Puts {@code program} at {@code index} (null empties the slot); E2BIG if out of range. */
    void setProgram(int index, Object program);

    /** The program at {@code index}, or null if the slot is empty or out of range. */
    Object program(int index);

    /** Lets byte-based update/lookup translate program ids. */
    void setIdResolver(ObjectIds<Object> ids);
}
