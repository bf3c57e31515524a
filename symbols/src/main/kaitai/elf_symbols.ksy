meta:
  id: elf_symbols
  title: ELF headers and symbol tables (the parts a symbolizer needs)
  application:
    - Linux, BSD and other ELF executables and shared objects
  file-extension:
    - so
    - elf
  license: CC0-1.0
  ks-version: 0.11
  endian: le
doc: |
  The pieces of an ELF file that turn a module offset into a function name: the identification bytes, the
  file header (32- or 64-bit, little-endian), program headers (to find the first loadable segment's address,
  which module offsets count from), section headers (to find .symtab and .dynsym and their string tables) and
  symbol entries; and the notes that say which build the file is (the GNU build-id note, in the
  .note.gnu.build-id section or a PT_NOTE segment), so a file of the right name but another build is not
  used. The hand-written org.leakscope.symbols.ElfSymbolFile reads each structure at the offsets
  the headers give, after checking every count and size against the file, and never maps the whole file.
doc-ref:
  - https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html
  - https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.symtab.html
  - https://refspecs.linuxfoundation.org/elf/gabi4+/ch5.pheader.html#note_section
seq:
  - id: ident
    type: ident
types:
  ident:
    seq:
      - id: magic
        contents: [0x7f, 0x45, 0x4c, 0x46]
      - id: bits
        type: u1
        valid:
          any-of: [1, 2]
        doc: 1 = 32-bit, 2 = 64-bit
      - id: endian
        type: u1
        valid: 1
        doc: little-endian only (x86, x86-64, ARM, AArch64, RISC-V as used)
      - id: version
        type: u1
      - id: os_abi
        type: u1
      - id: abi_version
        type: u1
      - id: pad
        size: 7
  header64:
    doc: The file header after the 16 identification bytes.
    seq:
      - id: type
        type: u2
      - id: machine
        type: u2
      - id: version
        type: u4
      - id: entry
        type: u8
      - id: phoff
        type: u8
      - id: shoff
        type: u8
      - id: flags
        type: u4
      - id: ehsize
        type: u2
      - id: phentsize
        type: u2
      - id: phnum
        type: u2
      - id: shentsize
        type: u2
      - id: shnum
        type: u2
      - id: shstrndx
        type: u2
  header32:
    seq:
      - id: type
        type: u2
      - id: machine
        type: u2
      - id: version
        type: u4
      - id: entry
        type: u4
      - id: phoff
        type: u4
      - id: shoff
        type: u4
      - id: flags
        type: u4
      - id: ehsize
        type: u2
      - id: phentsize
        type: u2
      - id: phnum
        type: u2
      - id: shentsize
        type: u2
      - id: shnum
        type: u2
      - id: shstrndx
        type: u2
  program_header64:
    seq:
      - id: type
        type: u4
      - id: flags
        type: u4
      - id: offset
        type: u8
      - id: vaddr
        type: u8
      - id: paddr
        type: u8
      - id: filesz
        type: u8
      - id: memsz
        type: u8
      - id: align
        type: u8
  program_header32:
    seq:
      - id: type
        type: u4
      - id: offset
        type: u4
      - id: vaddr
        type: u4
      - id: paddr
        type: u4
      - id: filesz
        type: u4
      - id: memsz
        type: u4
      - id: flags
        type: u4
      - id: align
        type: u4
  section_header64:
    seq:
      - id: name
        type: u4
      - id: type
        type: u4
      - id: flags
        type: u8
      - id: addr
        type: u8
      - id: offset
        type: u8
      - id: size
        type: u8
      - id: link
        type: u4
      - id: info
        type: u4
      - id: addralign
        type: u8
      - id: entsize
        type: u8
  section_header32:
    seq:
      - id: name
        type: u4
      - id: type
        type: u4
      - id: flags
        type: u4
      - id: addr
        type: u4
      - id: offset
        type: u4
      - id: size
        type: u4
      - id: link
        type: u4
      - id: info
        type: u4
      - id: addralign
        type: u4
      - id: entsize
        type: u4
  sym64:
    seq:
      - id: name
        type: u4
      - id: info
        type: u1
        doc: low 4 bits the type (2 = function), high 4 bits the binding
      - id: other
        type: u1
      - id: shndx
        type: u2
      - id: value
        type: u8
      - id: size
        type: u8
  sym32:
    seq:
      - id: name
        type: u4
      - id: value
        type: u4
      - id: size
        type: u4
      - id: info
        type: u1
      - id: other
        type: u1
      - id: shndx
        type: u2
  note_header:
    -orig-id: Elf64_Nhdr
    doc: |
      One note of a SHT_NOTE section or PT_NOTE segment (the same 12 bytes in 32- and 64-bit files). The
      name (n_namesz bytes, NUL included) and the descriptor (n_descsz bytes) follow, each padded to 4 bytes.
      The GNU build id is the descriptor of the note named "GNU" of type 3 (NT_GNU_BUILD_ID).
    seq:
      - id: len_name
        -orig-id: n_namesz
        type: u4
      - id: len_desc
        -orig-id: n_descsz
        type: u4
      - id: type
        -orig-id: n_type
        type: u4
