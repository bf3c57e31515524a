meta:
  id: pdb_msf
  title: MSF 7.00 container of a Program Database (PDB), and the fixed headers of its streams
  application:
    - Microsoft Visual C++ and clang-cl PDB files (debug information of Windows programs)
  file-extension:
    - pdb
  license: CC0-1.0
  ks-version: 0.11
  endian: le
doc: |
  A PDB is an MSF ("multi-stream file"): the file is cut into fixed-size blocks; block 0 is the superblock,
  which says the block size, the block count and which blocks hold the stream directory. The directory lists
  every stream's size and the blocks that hold it, in order. Streams are not contiguous in the file, so the
  hand-written org.leakscope.symbols.pdb.MsfFile reads them block by block through a memory mapping (never the
  whole file on the heap) and checks every block index, size and count before following it. This spec holds
  the fixed layouts only; the variable parts (the directory, symbol records) are read by the wrappers.
doc-ref:
  - https://llvm.org/docs/PDB/MsfFile.html
  - https://github.com/microsoft/microsoft-pdb/blob/master/PDB/msf/msf.cpp
seq:
  - id: superblock
    type: superblock
types:
  superblock:
    -orig-id: SuperBlock
    doc: |
      The first 56 bytes of block 0. Directories longer than block_size * block_size / 4 bytes need several
      block-map blocks: their indices follow ofs_block_map in the superblock (Microsoft's mpspnpn array).
    seq:
      - id: magic
        contents: ["Microsoft C/C++ MSF 7.00", 0x0d, 0x0a, 0x1a, 0x44, 0x53, 0, 0, 0]
      - id: block_size
        -orig-id: BlockSize
        type: u4
        valid:
          any-of: [512, 1024, 2048, 4096, 8192, 16384, 32768]
      - id: free_block_map_block
        -orig-id: FreeBlockMapBlock
        type: u4
        doc: 1 or 2; the free-block map is not needed to read the file
      - id: num_blocks
        -orig-id: NumBlocks
        type: u4
      - id: len_directory
        -orig-id: NumDirectoryBytes
        type: u4
      - id: reserved
        -orig-id: Unknown
        type: u4
      - id: block_map_block
        -orig-id: BlockMapAddr
        type: u4
        doc: the block holding the directory's block indices (the first of them, for very large directories)
  info_header:
    -orig-id: PdbStreamHeader
    doc: The start of stream 1, the PDB info stream; the named stream map and feature codes follow.
    doc-ref: https://llvm.org/docs/PDB/PdbStream.html
    seq:
      - id: version
        -orig-id: Version
        type: u4
        doc: 20000404 (VC70) in every PDB written since Visual C++ 2002
      - id: signature
        -orig-id: Signature
        type: u4
        doc: a time stamp when the PDB was created
      - id: age
        -orig-id: Age
        type: u4
        doc: incremented on every write of the PDB; the DBI stream's age is the one the binary records
      - id: guid
        -orig-id: UniqueId
        type: guid
  guid:
    doc: A GUID in Windows' memory layout; Breakpad prints data1..data3 as numbers and data4 byte by byte.
    seq:
      - id: data1
        type: u4
      - id: data2
        type: u2
      - id: data3
        type: u2
      - id: data4
        size: 8
  dbi_header:
    -orig-id: DbiStreamHeader
    doc: |
      The 64 bytes at the start of stream 3, the DBI stream. Its substreams follow in this order, each of the
      size given here: module info, section contributions, section map, file info, type server map, EC
      (edit-and-continue) names, optional debug header.
    doc-ref: https://llvm.org/docs/PDB/DbiStream.html
    seq:
      - id: version_signature
        -orig-id: VersionSignature
        type: s4
        valid: -1
      - id: version
        -orig-id: VersionHeader
        type: u4
        doc: 19990903 (V70) in every PDB this reader accepts
      - id: age
        -orig-id: Age
        type: u4
        doc: the age the binary's CodeView record holds, and Breakpad's debug id ends with
      - id: global_stream
        -orig-id: GlobalStreamIndex
        type: u2
      - id: build_number
        -orig-id: BuildNumber
        type: u2
      - id: public_stream
        -orig-id: PublicStreamIndex
        type: u2
      - id: pdb_dll_version
        -orig-id: PdbDllVersion
        type: u2
      - id: symbol_record_stream
        -orig-id: SymRecordStream
        type: u2
        doc: the stream holding the S_PUB32 records (and the global symbols)
      - id: pdb_dll_rebuild
        -orig-id: PdbDllRbld
        type: u2
      - id: len_module_info
        -orig-id: ModInfoSize
        type: s4
      - id: len_section_contributions
        -orig-id: SectionContributionSize
        type: s4
      - id: len_section_map
        -orig-id: SectionMapSize
        type: s4
      - id: len_file_info
        -orig-id: SourceInfoSize
        type: s4
      - id: len_type_server_map
        -orig-id: TypeServerMapSize
        type: s4
      - id: mfc_type_server_index
        -orig-id: MFCTypeServerIndex
        type: u4
      - id: len_optional_debug_header
        -orig-id: OptionalDbgHeaderSize
        type: s4
      - id: len_ec
        -orig-id: ECSubstreamSize
        type: s4
      - id: flags
        -orig-id: Flags
        type: u2
      - id: machine
        -orig-id: Machine
        type: u2
        doc: IMAGE_FILE_MACHINE_*; 0x14c x86, 0x8664 x86-64, 0xaa64 ARM64
      - id: padding
        type: u4
  section_contribution:
    -orig-id: SectionContribEntry
    doc: Which module contributed a piece of a section (28 bytes; the V2 layout appends a COFF section number).
    seq:
      - id: section
        -orig-id: Section
        type: u2
      - id: padding1
        size: 2
      - id: offset
        -orig-id: Offset
        type: s4
      - id: size
        -orig-id: Size
        type: s4
      - id: characteristics
        -orig-id: Characteristics
        type: u4
      - id: module_index
        -orig-id: ModuleIndex
        type: u2
      - id: padding2
        size: 2
      - id: data_crc
        -orig-id: DataCrc
        type: u4
      - id: reloc_crc
        -orig-id: RelocCrc
        type: u4
  module_info:
    -orig-id: ModInfo
    doc: The fixed 64 bytes of a module info record; the module name and object file name (NUL-terminated) follow.
    seq:
      - id: unused1
        type: u4
      - id: first_contribution
        -orig-id: SectionContr
        type: section_contribution
      - id: flags
        -orig-id: Flags
        type: u2
      - id: symbol_stream
        -orig-id: ModuleSymStream
        type: u2
        doc: the stream holding this module's symbols and line tables; 0xffff when it has none
      - id: len_symbols
        -orig-id: SymByteSize
        type: u4
        doc: symbol records, including the 4-byte signature at the stream's start
      - id: len_c11_lines
        -orig-id: C11ByteSize
        type: u4
      - id: len_c13_lines
        -orig-id: C13ByteSize
        type: u4
      - id: num_source_files
        -orig-id: SourceFileCount
        type: u2
      - id: padding
        size: 2
      - id: unused2
        type: u4
      - id: source_file_name_index
        -orig-id: SourceFileNameIndex
        type: u4
      - id: pdb_file_path_name_index
        -orig-id: PdbFilePathNameIndex
        type: u4
  section_header:
    -orig-id: IMAGE_SECTION_HEADER
    doc: A PE section header, as the section header streams of the optional debug header hold them.
    seq:
      - id: name
        size: 8
      - id: virtual_size
        -orig-id: VirtualSize
        type: u4
      - id: virtual_address
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
        doc: 0x20 code, 0x20000000 executable
