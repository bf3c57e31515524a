meta:
  id: pdb_types
  title: Fixed layouts of a PDB's type streams (TPI, IPI) and x86 frame data (FPO, FRAMEDATA)
  application:
    - Microsoft Visual C++ and clang-cl PDB files (debug information of Windows programs)
  file-extension:
    - pdb
  license: CC0-1.0
  ks-version: 0.11
  endian: le
doc: |
  The fixed parts the type reader and the STACK WIN reader need. The variable parts (type records with their
  numeric leaves and names, the record index) are read by the hand-written wrappers TypeStream, TypeNames and
  StackWinRecords, which check every count and length before following it. The top-level seq is the TPI/IPI
  header, the start of streams 2 and 4.
doc-ref:
  - https://llvm.org/docs/PDB/TpiStream.html
  - https://github.com/microsoft/microsoft-pdb/blob/master/PDB/include/tpi.h
seq:
  - id: type_stream_header
    type: type_stream_header
types:
  type_stream_header:
    -orig-id: TpiStreamHeader
    doc: |
      The first 56 bytes of the TPI (stream 2) and IPI (stream 4) streams; header_size bytes after the start,
      len_type_records bytes of records follow, numbered from type_index_begin.
    seq:
      - id: version
        -orig-id: Version
        type: u4
        doc: 20040203 (V80) in every PDB written since Visual C++ 2005
      - id: header_size
        -orig-id: HeaderSize
        type: u4
      - id: type_index_begin
        -orig-id: TypeIndexBegin
        type: u4
        doc: 0x1000; lower indices are built-in types
      - id: type_index_end
        -orig-id: TypeIndexEnd
        type: u4
      - id: len_type_records
        -orig-id: TypeRecordBytes
        type: u4
      - id: hash_stream_index
        -orig-id: HashStreamIndex
        type: u2
      - id: hash_aux_stream_index
        -orig-id: HashAuxStreamIndex
        type: u2
      - id: hash_key_size
        -orig-id: HashKeySize
        type: u4
      - id: num_hash_buckets
        -orig-id: NumHashBuckets
        type: u4
      - id: ofs_hash_values
        -orig-id: HashValueBufferOffset
        type: s4
      - id: len_hash_values
        -orig-id: HashValueBufferLength
        type: u4
      - id: ofs_index_offsets
        -orig-id: IndexOffsetBufferOffset
        type: s4
      - id: len_index_offsets
        -orig-id: IndexOffsetBufferLength
        type: u4
      - id: ofs_hash_adjusters
        -orig-id: HashAdjBufferOffset
        type: s4
      - id: len_hash_adjusters
        -orig-id: HashAdjBufferLength
        type: u4
  fpo_data:
    -orig-id: FPO_DATA
    doc: |
      One function's frame layout in the DBI debug header's FPO stream (16 bytes), the data of a STACK WIN 0
      record. Sizes of locals and parameters are in 4-byte units.
    doc-ref: https://learn.microsoft.com/en-us/windows/win32/api/winnt/ns-winnt-fpo_data
    seq:
      - id: ofs_start
        -orig-id: ulOffStart
        type: u4
      - id: len_proc
        -orig-id: cbProcSize
        type: u4
      - id: num_locals_dwords
        -orig-id: cdwLocals
        type: u4
      - id: num_params_dwords
        -orig-id: cdwParams
        type: u2
      - id: attributes
        type: u2
        doc: cbProlog:8 cbRegs:3 fHasSEH:1 fUseBP:1 reserved:1 cbFrame:2, from the low bit
    instances:
      len_prolog:
        -orig-id: cbProlog
        value: attributes & 0xff
      num_saved_regs:
        -orig-id: cbRegs
        value: (attributes >> 8) & 0x7
      has_seh:
        -orig-id: fHasSEH
        value: (attributes & 0x800) != 0
      uses_base_pointer:
        -orig-id: fUseBP
        value: (attributes & 0x1000) != 0
      frame_type:
        -orig-id: cbFrame
        value: (attributes >> 14) & 0x3
        doc: 0 FPO, 1 trap, 2 TSS, 3 standard (the STACK WIN type)
  frame_data:
    -orig-id: FRAMEDATA
    doc: |
      One code range's frame layout in the DBI debug header's new-FPO stream (32 bytes), the data of a STACK WIN
      4 record; ofs_program is a byte offset into the /names string table's buffer.
    doc-ref: https://github.com/microsoft/microsoft-pdb/blob/master/include/cvinfo.h
    seq:
      - id: ofs_start
        -orig-id: ulRvaStart
        type: u4
      - id: len_block
        -orig-id: cbBlock
        type: u4
      - id: len_locals
        -orig-id: cbLocals
        type: u4
      - id: len_params
        -orig-id: cbParams
        type: u4
      - id: max_stack
        -orig-id: cbStkMax
        type: u4
      - id: ofs_program
        -orig-id: frameFunc
        type: u4
      - id: len_prolog
        -orig-id: cbProlog
        type: u2
      - id: len_saved_regs
        -orig-id: cbSavedRegs
        type: u2
      - id: flags
        type: u4
        doc: fHasSEH:1 fHasEH:1 fIsFunctionStart:1, from the low bit
