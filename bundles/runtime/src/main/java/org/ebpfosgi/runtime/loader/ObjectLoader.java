package org.ebpfosgi.runtime.loader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.ebpfosgi.api.runtime.ObjectFormatException;
import org.ebpfosgi.runtime.btf.Btf;
import org.ebpfosgi.runtime.btf.BtfExt;
import org.ebpfosgi.runtime.btf.FuncInfo;
import org.ebpfosgi.runtime.btf.LineInfo;
import org.ebpfosgi.runtime.elf.ElfFile;
import org.ebpfosgi.runtime.elf.ElfSection;
import org.ebpfosgi.runtime.elf.ElfSymbol;

/**
 * Parses a BPF ELF object into a {@link ParsedObject}: maps, then programs linked and relocated.
 * <p>
 * Programs: every function symbol of an executable section other than {@code .text} (a section
 * without function symbols is one program named after the section). {@code .text} functions are
 * subprograms, appended to the programs that call them; but an object whose only code is in
 * {@code .text} (as many test objects are) has each {@code .text} function as a program.
 * <p>
 * Any malformed input ends in an {@link ObjectFormatException} naming the section, offset and
 * problem; nothing else escapes, whatever the bytes.
 */
public final class ObjectLoader {
    private ObjectLoader() {}

    public static ParsedObject parse(String name, byte[] elf, SectionTypeResolver resolver) throws ObjectFormatException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(elf, "elf");
        Objects.requireNonNull(resolver, "resolver");
        try {
            return parseChecked(name, elf, resolver);
        } catch (ObjectFormatException e) {
            throw new ObjectFormatException(name + ": " + e.getMessage(), e.getCause());
        } catch (RuntimeException e) {
            // A defect here must still surface as a refusal of this object, never as a crash of the caller.
            throw new ObjectFormatException(name + ": malformed object (" + e + ")", e);
        }
    }

    private static ParsedObject parseChecked(String name, byte[] bytes, SectionTypeResolver resolver) throws ObjectFormatException {
        ElfFile elf = ElfFile.parse(bytes);
        Btf btf = null;
        BtfExt btfExt = null;
        ElfSection btfSection = elf.section(".BTF");
        if (btfSection != null && btfSection.data() != null) {
            btf = Btf.parse(btfSection.data());
            ElfSection ext = elf.section(".BTF.ext");
            if (ext != null && ext.data() != null) {
                btfExt = BtfExt.parse(ext.data(), btf);
            }
        }
        if (btfExt != null) {
            checkBtfExtSections(elf, btfExt);
        }
        checkRelocationSectionNames(elf);
        List<DeclaredMap> maps = MapCollector.collect(elf, btf, name);
        List<ParsedProgram> programs = new ArrayList<>();
        ProgramLinker linker = new ProgramLinker(elf, btf, btfExt, maps);
        for (ProgramLinker.Entry entry : linker.entries()) {
            String type = resolver.programType(entry.section().name());
            programs.add(linker.link(entry, type));
        }
        return new ParsedObject(name, license(elf), kernelVersion(elf), programs, maps);
    }

    /** Function and line records must describe instructions of existing code sections. */
    private static void checkBtfExtSections(ElfFile elf, BtfExt ext) throws ObjectFormatException {
        for (String sectionName : ext.sections()) {
            ElfSection s = elf.section(sectionName);
            if (s == null || !s.isExecutable()) {
                throw new ObjectFormatException(".BTF.ext describes section '" + sectionName + "', which is no code section");
            }
            long slots = s.size() / 8;
            for (FuncInfo f : ext.funcInfo(sectionName)) {
                if (f.instruction() >= slots) {
                    throw new ObjectFormatException(".BTF.ext func_info of '" + f.name() + "' starts at instruction " + f.instruction()
                            + ", past the " + slots + " of section '" + sectionName + "'");
                }
            }
            for (LineInfo l : ext.lineInfo(sectionName)) {
                if (l.instruction() >= slots) {
                    throw new ObjectFormatException(".BTF.ext line_info (" + l.file() + ":" + l.line() + ") at instruction "
                            + l.instruction() + " lies past the " + slots + " of section '" + sectionName + "'");
                }
            }
        }
    }

    /** A relocation section is named after the section it applies to (".rel" + name); a mismatch means a corrupt header. */
    private static void checkRelocationSectionNames(ElfFile elf) throws ObjectFormatException {
        for (ElfSection s : elf.sections()) {
            if (s.type() == ElfSection.SHT_REL) {
                ElfSection target = elf.section(s.info());
                if (!s.name().equals(".rel" + target.name())) {
                    throw new ObjectFormatException("relocation section '" + s.name() + "' applies to section " + target.index() + " '"
                            + target.name() + "' (expected it to be named '.rel" + target.name() + "')");
                }
            }
        }
    }

    private static String license(ElfFile elf) throws ObjectFormatException {
        ElfSection s = elf.section("license");
        if (s == null || s.data() == null) {
            return "";
        }
        byte[] b = s.data().bytes(0, s.size(), "license");
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private static int kernelVersion(ElfFile elf) throws ObjectFormatException {
        ElfSection s = elf.section("version");
        if (s == null || s.data() == null) {
            return 0;
        }
        if (s.size() != 4) {
            throw new ObjectFormatException("section 'version' has " + s.size() + " bytes, expected 4");
        }
        return s.data().s32(0, "kernel version");
    }

    /** Whether a symbol names a function (for call targets and program entries). */
    static boolean isFunction(ElfSymbol s) {
        return s.type() == ElfSymbol.STT_FUNC;
    }
}
