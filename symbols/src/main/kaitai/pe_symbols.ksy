meta:
  id: pe_symbols
  title: PE/COFF headers, COFF symbol table and export directory (the parts a symbolizer needs)
  application:
    - Windows executables and DLLs (MSVC, mingw-w64, clang), as loaded natively or under Wine
  file-extension:
    - exe
    - dll
    - sys
  license: CC0-1.0
  ks-version: 0.11
  endian: le
doc: |
  The pieces of a PE image that turn an RVA (address minus the module's load base) into a function name: the
  DOS header (only to find the PE header), the PE signature and COFF file header (section count, where the
  COFF symbol table is and how many records it has), the optional header (PE32 or PE32+, read by the wrapper
  according to its magic; the data directories give the export directory), the section table (to turn
  section-relative symbol values and RVAs into file offsets), the 18-byte COFF symbol records and the export
  directory with its three parallel tables; and the debug directory's CodeView record, whose GUID and age (the
  debug id a minidump records for the module) say which build the file is.

  mingw-w64 leaves a COFF symbol table in images it does not strip; MSVC never does (its symbols are in the
  PDB), so for MSVC DLLs without a PDB the export names are the only names there are. The hand-written
  org.leakscope.symbols.PeSymbolFile reads each structure at the offset the headers give, after checking
  every count and size against the file, and never reads the whole file.
doc-ref:
  - https://learn.microsoft.com/en-us/windows/win32/debug/pe-format
seq:
  - id: dos_header
    type: dos_header
types:
  dos_header:
    -orig-id: IMAGE_DOS_HEADER
    doc: The 64-byte MS-DOS header every PE file starts with; only its magic and e_lfanew matter.
    seq:
      - id: magic
        -orig-id: e_magic
        contents: MZ
      - id: dos_fields
        size: 58
        doc: the MS-DOS stub's header fields (e_cblp to e_res2), unused by Windows
      - id: ofs_pe_header
        -orig-id: e_lfanew
        type: u4
        doc: file offset of the PE signature
  pe_header:
    doc: The PE signature and the COFF file header after it, at dos_header.ofs_pe_header.
    seq:
      - id: signature
        contents: ["PE", 0, 0]
      - id: coff_header
        type: coff_header
  coff_header:
    -orig-id: IMAGE_FILE_HEADER
    doc-ref: https://learn.microsoft.com/en-us/windows/win32/debug/pe-format#coff-file-header-object-and-image
    seq:
      - id: machine
        -orig-id: Machine
        type: u2
        doc: 0x8664 x86-64, 0x14c i386, 0xaa64 ARM64
      - id: num_sections
        -orig-id: NumberOfSections
        type: u2
      - id: time_date_stamp
        -orig-id: TimeDateStamp
        type: u4
      - id: ofs_symbol_table
        -orig-id: PointerToSymbolTable
        type: u4
        doc: file offset of the COFF symbol table, 0 when there is none
      - id: num_symbols
        -orig-id: NumberOfSymbols
        type: u4
        doc: records in the symbol table, aux records included; the string table follows the last one
      - id: len_optional_header
        -orig-id: SizeOfOptionalHeader
        type: u2
      - id: characteristics
        -orig-id: Characteristics
        type: u2
  optional_header_magic:
    doc: The first two bytes of the optional header, which decide its layout.
    seq:
      - id: magic
        -orig-id: Magic
        type: u2
        valid:
          any-of: [0x10b, 0x20b]
        doc: 0x10b = PE32 (32-bit image), 0x20b = PE32+ (64-bit image)
  optional_header32:
    -orig-id: IMAGE_OPTIONAL_HEADER32
    doc: The PE32 optional header up to the data directories (96 bytes).
    seq:
      - id: magic
        contents: [0x0b, 0x01]
      - id: linker_version
        size: 2
      - id: len_code
        -orig-id: SizeOfCode
        type: u4
      - id: len_initialized_data
        -orig-id: SizeOfInitializedData
        type: u4
      - id: len_uninitialized_data
        -orig-id: SizeOfUninitializedData
        type: u4
      - id: rva_entry_point
        -orig-id: AddressOfEntryPoint
        type: u4
      - id: rva_code
        -orig-id: BaseOfCode
        type: u4
      - id: rva_data
        -orig-id: BaseOfData
        type: u4
        doc: PE32 only
      - id: image_base
        -orig-id: ImageBase
        type: u4
      - id: section_alignment
        -orig-id: SectionAlignment
        type: u4
      - id: file_alignment
        -orig-id: FileAlignment
        type: u4
      - id: versions
        size: 12
        doc: operating system, image and subsystem versions (major, minor each)
      - id: win32_version
        -orig-id: Win32VersionValue
        type: u4
      - id: len_image
        -orig-id: SizeOfImage
        type: u4
      - id: len_headers
        -orig-id: SizeOfHeaders
        type: u4
      - id: checksum
        -orig-id: CheckSum
        type: u4
      - id: subsystem
        -orig-id: Subsystem
        type: u2
      - id: dll_characteristics
        -orig-id: DllCharacteristics
        type: u2
      - id: stack_and_heap
        size: 16
        doc: SizeOfStackReserve, SizeOfStackCommit, SizeOfHeapReserve, SizeOfHeapCommit (4 bytes each)
      - id: loader_flags
        -orig-id: LoaderFlags
        type: u4
      - id: num_data_directories
        -orig-id: NumberOfRvaAndSizes
        type: u4
  optional_header64:
    -orig-id: IMAGE_OPTIONAL_HEADER64
    doc: The PE32+ optional header up to the data directories (112 bytes).
    seq:
      - id: magic
        contents: [0x0b, 0x02]
      - id: linker_version
        size: 2
      - id: len_code
        -orig-id: SizeOfCode
        type: u4
      - id: len_initialized_data
        -orig-id: SizeOfInitializedData
        type: u4
      - id: len_uninitialized_data
        -orig-id: SizeOfUninitializedData
        type: u4
      - id: rva_entry_point
        -orig-id: AddressOfEntryPoint
        type: u4
      - id: rva_code
        -orig-id: BaseOfCode
        type: u4
      - id: image_base
        -orig-id: ImageBase
        type: u8
        doc: preferred load address; Kaitai's u8 is a signed long in Java, compare unsigned
      - id: section_alignment
        -orig-id: SectionAlignment
        type: u4
      - id: file_alignment
        -orig-id: FileAlignment
        type: u4
      - id: versions
        size: 12
        doc: operating system, image and subsystem versions (major, minor each)
      - id: win32_version
        -orig-id: Win32VersionValue
        type: u4
      - id: len_image
        -orig-id: SizeOfImage
        type: u4
      - id: len_headers
        -orig-id: SizeOfHeaders
        type: u4
      - id: checksum
        -orig-id: CheckSum
        type: u4
      - id: subsystem
        -orig-id: Subsystem
        type: u2
      - id: dll_characteristics
        -orig-id: DllCharacteristics
        type: u2
      - id: stack_and_heap
        size: 32
        doc: SizeOfStackReserve, SizeOfStackCommit, SizeOfHeapReserve, SizeOfHeapCommit (8 bytes each)
      - id: loader_flags
        -orig-id: LoaderFlags
        type: u4
      - id: num_data_directories
        -orig-id: NumberOfRvaAndSizes
        type: u4
  data_directory:
    -orig-id: IMAGE_DATA_DIRECTORY
    doc: One of the optional header's trailing (RVA, size) pairs; index 0 is the export directory, 6 the debug
      directory.
    seq:
      - id: rva
        -orig-id: VirtualAddress
        type: u4
      - id: len
        -orig-id: Size
        type: u4
  section_header:
    -orig-id: IMAGE_SECTION_HEADER
    doc-ref: https://learn.microsoft.com/en-us/windows/win32/debug/pe-format#section-table-section-headers
    seq:
      - id: name
        -orig-id: Name
        size: 8
        type: str
        terminator: 0
        encoding: UTF-8
        doc: |
          NUL-padded; in images, names longer than 8 bytes are "/N" (string table offset N), which only
          matters for the debug sections mingw keeps (.debug_info is "/4" or so) and is not resolved here.
      - id: virtual_size
        -orig-id: VirtualSize
        type: u4
        doc: size in memory; 0 in some linkers' output, then len_raw_data is the size
      - id: rva
        -orig-id: VirtualAddress
        type: u4
      - id: len_raw_data
        -orig-id: SizeOfRawData
        type: u4
      - id: ofs_raw_data
        -orig-id: PointerToRawData
        type: u4
      - id: ofs_relocations
        -orig-id: PointerToRelocations
        type: u4
      - id: ofs_line_numbers
        -orig-id: PointerToLinenumbers
        type: u4
      - id: num_relocations
        -orig-id: NumberOfRelocations
        type: u2
      - id: num_line_numbers
        -orig-id: NumberOfLinenumbers
        type: u2
      - id: characteristics
        -orig-id: Characteristics
        type: u4
        doc: 0x20 contains code, 0x20000000 executable
  coff_symbol:
    -orig-id: IMAGE_SYMBOL
    doc: |
      One 18-byte record of the COFF symbol table. num_aux_symbols records of the same size follow it and
      belong to it (function definitions, section definitions, file names); they are skipped.
    doc-ref: https://learn.microsoft.com/en-us/windows/win32/debug/pe-format#coff-symbol-table
    seq:
      - id: name
        -orig-id: ShortName
        type: coff_symbol_name
        size: 8
      - id: value
        -orig-id: Value
        type: u4
        doc: for a function defined in a section, its offset from the section's start
      - id: section_number
        -orig-id: SectionNumber
        type: s2
        doc: 1-based index into the section table; 0 undefined (external), -1 absolute, -2 debug
      - id: type
        -orig-id: Type
        type: u2
        doc: bits 4-5 the complex type (2 = function, so 0x20 for a function returning int or void)
      - id: storage_class
        -orig-id: StorageClass
        type: u1
        doc: 2 external, 3 static, 103 file, 105 weak external, ...
      - id: num_aux_symbols
        -orig-id: NumberOfAuxSymbols
        type: u1
  coff_symbol_name:
    doc: |
      A short name of up to 8 bytes, NUL-padded; or, when the first four bytes are zero, the offset of a
      NUL-terminated long name in the string table (which starts with its own 4-byte length, so offsets
      count from that length field and are at least 4).
    seq:
      - id: zeroes
        -orig-id: Zeroes
        type: u4
      - id: ofs_long_name
        -orig-id: Offset
        type: u4
    instances:
      is_long:
        value: zeroes == 0
      short_name:
        pos: 0
        size: 8
        type: str
        terminator: 0
        encoding: UTF-8
        if: zeroes != 0
  string_table_header:
    doc: The string table right after the symbol table starts with its own length, these 4 bytes included.
    seq:
      - id: len_string_table
        type: u4
  export_directory:
    -orig-id: IMAGE_EXPORT_DIRECTORY
    doc-ref: https://learn.microsoft.com/en-us/windows/win32/debug/pe-format#export-directory-table
    seq:
      - id: export_flags
        -orig-id: Characteristics
        type: u4
      - id: time_date_stamp
        -orig-id: TimeDateStamp
        type: u4
      - id: version
        size: 4
        doc: MajorVersion, MinorVersion
      - id: rva_dll_name
        -orig-id: Name
        type: u4
      - id: ordinal_base
        -orig-id: Base
        type: u4
      - id: num_functions
        -orig-id: NumberOfFunctions
        type: u4
        doc: entries of the export address table
      - id: num_names
        -orig-id: NumberOfNames
        type: u4
        doc: entries of both the name pointer table and the ordinal table
      - id: rva_functions
        -orig-id: AddressOfFunctions
        type: u4
        doc: export address table; an RVA inside the export directory itself is a forwarder string
      - id: rva_names
        -orig-id: AddressOfNames
        type: u4
        doc: name pointer table, RVAs of NUL-terminated ASCII names, sorted
      - id: rva_name_ordinals
        -orig-id: AddressOfNameOrdinals
        type: u4
        doc: ordinal table, u2 indexes into the export address table (not biased by ordinal_base)
  rva_table:
    doc: The export address table or the name pointer table, sized by the wrapper from the directory's counts.
    seq:
      - id: entries
        type: u4
        repeat: eos
  ordinal_table:
    doc: The export ordinal table, sized by the wrapper.
    seq:
      - id: entries
        type: u2
        repeat: eos
  debug_directory_entry:
    -orig-id: IMAGE_DEBUG_DIRECTORY
    doc: One 28-byte entry of the debug directory; type 2 (CODEVIEW) points at the record naming the PDB.
    doc-ref: https://learn.microsoft.com/en-us/windows/win32/debug/pe-format#debug-directory-image-only
    seq:
      - id: characteristics
        -orig-id: Characteristics
        type: u4
      - id: time_date_stamp
        -orig-id: TimeDateStamp
        type: u4
      - id: version
        size: 4
        doc: MajorVersion, MinorVersion
      - id: type
        -orig-id: Type
        type: u4
        doc: 2 = IMAGE_DEBUG_TYPE_CODEVIEW
      - id: len_data
        -orig-id: SizeOfData
        type: u4
      - id: rva_data
        -orig-id: AddressOfRawData
        type: u4
        doc: 0 when the data is not mapped
      - id: ofs_data
        -orig-id: PointerToRawData
        type: u4
        doc: file offset of the data
  codeview_record:
    doc: |
      What a CODEVIEW debug entry points at; its signature says which layout follows (MSVC and mingw-w64's
      --build-id write RSDS, old linkers NB10). Unknown signatures leave info null: the file then has no
      debug id.
    seq:
      - id: signature
        size: 4
        type: str
        encoding: ASCII
      - id: info
        type:
          switch-on: signature
          cases:
            '"RSDS"': codeview_pdb70
            '"NB10"': codeview_pdb20
  codeview_pdb70:
    -orig-id: CV_INFO_PDB70
    seq:
      - id: guid
        size: 16
      - id: age
        type: u4
      - id: pdb_path
        -orig-id: PdbFileName
        type: str
        terminator: 0
        eos-error: false
        encoding: UTF-8
        doc: the PDB's path as the linker wrote it (c:\build\x.pdb); the record's size bounds it
  codeview_pdb20:
    -orig-id: CV_INFO_PDB20
    seq:
      - id: cv_offset
        type: u4
      - id: signature
        type: u4
      - id: age
        type: u4
      - id: pdb_path
        -orig-id: PdbFileName
        type: str
        terminator: 0
        eos-error: false
        encoding: UTF-8
  runtime_function:
    -orig-id: RUNTIME_FUNCTION
    doc: |
      One 12-byte entry of the x64 exception directory (.pdata): the RVA range of a function (or of a part of
      one) and where its unwind information is. Entries are sorted by rva_begin.
    doc-ref: https://learn.microsoft.com/en-us/cpp/build/exception-handling-x64#struct-runtime_function
    seq:
      - id: rva_begin
        -orig-id: BeginAddress
        type: u4
      - id: rva_end
        -orig-id: EndAddress
        type: u4
      - id: rva_unwind_info
        -orig-id: UnwindInfoAddress
        type: u4
        doc: |
          RVA of an UNWIND_INFO; with bit 0 set (RUNTIME_FUNCTION_INDIRECT), RVA + 1 of another
          RUNTIME_FUNCTION whose unwind information is shared
  unwind_info:
    -orig-id: UNWIND_INFO
    doc: |
      The x64 unwind information of a function (usually in .xdata, sometimes .rdata): the prolog's unwind codes
      in reverse order of execution, then either a chained RUNTIME_FUNCTION or the language handler's RVA (its
      data follows and is not read). The codes are 2-byte slots; an operation takes 1 to 3 of them, so the
      wrapper decodes the slots.
    doc-ref: https://learn.microsoft.com/en-us/cpp/build/exception-handling-x64#struct-unwind_info
    seq:
      - id: version_and_flags
        type: u1
        doc: bits 0-2 the version (1, or 2 with UWOP_EPILOG codes), bits 3-7 the UNW_FLAG_* flags
      - id: len_prolog
        -orig-id: SizeOfProlog
        type: u1
      - id: num_slots
        -orig-id: CountOfCodes
        type: u1
        doc: unwind code slots (not operations)
      - id: frame_register_and_offset
        type: u1
        doc: bits 0-3 FrameRegister (0 none), bits 4-7 FrameOffset (scaled by 16)
      - id: slots
        type: unwind_code_slot
        repeat: expr
        repeat-expr: num_slots
      - id: padding
        size: 2
        if: num_slots % 2 == 1 and (flags & 7) != 0
        doc: the slot array is padded to an even count when anything follows it
      - id: chained
        type: runtime_function
        if: (flags & 4) != 0
        doc: UNW_FLAG_CHAININFO, the primary entry of this function
      - id: rva_handler
        -orig-id: ExceptionHandler
        type: u4
        if: (flags & 4) == 0 and (flags & 3) != 0
        doc: UNW_FLAG_EHANDLER or UNW_FLAG_UHANDLER; the handler's own data follows, its size known only to it
    instances:
      version:
        value: version_and_flags & 7
      flags:
        value: version_and_flags >> 3
      frame_register:
        value: frame_register_and_offset & 15
      frame_offset_scaled:
        value: frame_register_and_offset >> 4
  unwind_code_slot:
    -orig-id: UNWIND_CODE
    doc: |
      One slot: the prolog offset just after the instruction, then the operation (low 4 bits) and its info
      (high 4 bits); or, after an operation that needs them, 16 bits of its operand.
    seq:
      - id: prolog_offset
        -orig-id: CodeOffset
        type: u1
      - id: op_and_info
        type: u1
    instances:
      op:
        value: op_and_info & 15
      info:
        value: op_and_info >> 4
      operand:
        value: prolog_offset | (op_and_info << 8)
        doc: the slot read as the 16-bit operand of the operation before it
