package org.ebpfosgi.runtime.btf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.runtime.elf.ByteView;

/**
 * {@code .BTF.ext}: per ELF section, the function starts (func_info) and the source lines
 * (line_info) of its instructions. Instruction offsets are converted from bytes to slot indexes.
 * CO-RE relocation records are not read (field relocations need kernel BTF, which a JVM host has not).
 */
public final class BtfExt {
    private static final int MIN_FUNC_RECORD = 8;
    private static final int MIN_LINE_RECORD = 16;

    private final Map<String, List<FuncInfo>> funcInfo;
    private final Map<String, List<LineInfo>> lineInfo;

    private BtfExt(Map<String, List<FuncInfo>> funcInfo, Map<String, List<LineInfo>> lineInfo) {
        this.funcInfo = funcInfo;
        this.lineInfo = lineInfo;
    }

    public static BtfExt parse(ByteView section, Btf btf) throws ObjectFormatException {
        if (section.length() < 24) {
            throw new ObjectFormatException(".BTF.ext: " + section.length() + " bytes is shorter than the 24-byte header");
        }
        int magic = section.u16(0, "magic");
        if (magic != Btf.MAGIC) {
            throw new ObjectFormatException(".BTF.ext: bad magic 0x" + Integer.toHexString(magic) + " at offset 0");
        }
        long headerLength = section.u32(4, "hdr_len");
        if (headerLength < 24 || headerLength > section.length()) {
            throw new ObjectFormatException(".BTF.ext: hdr_len " + headerLength + " at offset 4 is outside 24.." + section.length());
        }
        ByteView body = section.slice(headerLength, section.length() - headerLength, ".BTF.ext data");
        ByteView funcs = body.slice(section.u32(8, "func_info_off"), section.u32(12, "func_info_len"), ".BTF.ext func_info");
        ByteView lines = body.slice(section.u32(16, "line_info_off"), section.u32(20, "line_info_len"), ".BTF.ext line_info");
        Map<String, List<FuncInfo>> funcInfo = new HashMap<>();
        Map<String, List<LineInfo>> lineInfo = new HashMap<>();
        readBlocks(funcs, MIN_FUNC_RECORD, btf, (sectionName, records, p, where) -> {
            int instruction = instruction(records.u32(p, where + " insn_off"), where);
            int typeId = records.s32(p + 4, where + " type_id");
            BtfType type = btf.type(typeId);
            if (!type.is(BtfType.KIND_FUNC)) {
                throw new ObjectFormatException(where + ": type_id " + typeId + " is " + type + ", not a FUNC");
            }
            funcInfo.computeIfAbsent(sectionName, k -> new ArrayList<>()).add(new FuncInfo(instruction, typeId, type.name()));
        });
        readBlocks(lines, MIN_LINE_RECORD, btf, (sectionName, records, p, where) -> {
            int instruction = instruction(records.u32(p, where + " insn_off"), where);
            String file = btf.string(records.u32(p + 4, where + " file_name_off"), where + " file name");
            String source = btf.string(records.u32(p + 8, where + " line_off"), where + " source line");
            long lineCol = records.u32(p + 12, where + " line_col");
            lineInfo.computeIfAbsent(sectionName, k -> new ArrayList<>())
                    .add(new LineInfo(instruction, file, (int) (lineCol >>> 10), (int) (lineCol & 0x3ff), source));
        });
        return new BtfExt(freeze(funcInfo), freeze(lineInfo));
    }

    private interface RecordReader {
        void read(String section, ByteView records, long offset, String where) throws ObjectFormatException;
    }

    private static void readBlocks(ByteView info, int minRecord, Btf btf, RecordReader reader) throws ObjectFormatException {
        if (info.length() == 0) {
            return;
        }
        long recordSize = info.u32(0, info.what() + " rec_size");
        if (recordSize < minRecord || recordSize > 1024) {
            throw new ObjectFormatException(info.what() + ": record size " + recordSize + " is not in " + minRecord + "..1024");
        }
        long p = 4;
        while (p < info.length()) {
            String sectionName = btf.string(info.u32(p, "sec_name_off"), info.what() + " section name at offset " + p);
            long count = info.u32(p + 4, info.what() + " num_info");
            p += 8;
            if (!info.contains(p, count * recordSize)) {
                throw new ObjectFormatException(info.what() + ": " + count + " records of " + recordSize + " bytes for section '"
                        + sectionName + "' at offset " + p + " run past its " + info.length() + " bytes");
            }
            for (long i = 0; i < count; i++, p += recordSize) {
                reader.read(sectionName, info, p, info.what() + " record " + i + " of '" + sectionName + "'");
            }
        }
    }

    private static int instruction(long byteOffset, String where) throws ObjectFormatException {
        if (byteOffset % 8 != 0) {
            throw new ObjectFormatException(where + ": insn_off " + byteOffset + " is not a multiple of 8");
        }
        return (int) (byteOffset / 8);
    }

    private static <T> Map<String, List<T>> freeze(Map<String, List<T>> map) {
        Map<String, List<T>> frozen = new HashMap<>();
        map.forEach((k, v) -> frozen.put(k, Collections.unmodifiableList(v)));
        return Collections.unmodifiableMap(frozen);
    }

    /** The ELF section names that have function or line records. */
    public java.util.Set<String> sections() {
        java.util.Set<String> names = new java.util.TreeSet<>(funcInfo.keySet());
        names.addAll(lineInfo.keySet());
        return names;
    }

    /** The function starts of an ELF section, by slot index in the section. */
    public List<FuncInfo> funcInfo(String section) { return funcInfo.getOrDefault(section, List.of()); }

    /** The line records of an ELF section, by slot index in the section, in file order. */
    public List<LineInfo> lineInfo(String section) { return lineInfo.getOrDefault(section, List.of()); }
}
