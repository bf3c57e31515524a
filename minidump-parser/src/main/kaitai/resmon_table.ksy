meta:
  id: resmon_table
  title: Leakscope resmon tracking table (version 1.1)
  application:
    - Leakscope native-capture tracker (libresmon.so, resmon.dll, the driver library)
  license: CC0-1.0
  ks-version: 0.11
  endian: le
doc: |
  The table a resmon tracker keeps in the traced process's memory: a header, then per record kind a list of
  chunks linked by virtual addresses. The structures are read one at a time at the addresses the header and
  the chunks name, from a dump's memory or a table image file, by the hand-written
  org.leakscope.minidump.ResmonTableReader; this spec describes each structure, the reader follows the links.
  Version 1.1 adds the module list (module_list_va in bytes 1.0 reserved, module chunks, module entries).
  The contract, with the meaning of every field: docs/formats/resmon-table.md.
seq:
  - id: header
    type: table_header
types:
  table_header:
    seq:
      - id: magic
        contents: LKRESMON
      - id: magic_not
        contents: [0xb3, 0xb4, 0xad, 0xba, 0xac, 0xb2, 0xb0, 0xb1]
      - id: version_major
        type: u2
      - id: version_minor
        type: u2
      - id: header_size
        type: u4
        valid:
          min: 576
      - id: self_va
        type: u8
      - id: pointer_size
        type: u4
        valid:
          any-of: [4, 8]
      - id: flags
        type: u4
      - id: process_id
        type: u8
      - id: start_time_ns
        type: u8
      - id: update_time_ns
        type: u8
      - id: process_name
        type: strz
        size: 64
        encoding: UTF-8
      - id: limit_memory_bytes
        type: u8
      - id: limit_cpu_percent
        type: u4
      - id: limit_threads
        type: u4
      - id: limit_sync_objects
        type: u4
      - id: interval_ms
        type: u4
      - id: limit_disk_bytes
        type: u8
      - id: allocated_bytes
        type: u8
      - id: freed_bytes
        type: u8
      - id: live_bytes
        type: u8
      - id: peak_bytes
        type: u8
      - id: allocations
        type: u8
      - id: frees
        type: u8
      - id: dropped_records
        type: u8
      - id: live_threads
        type: u8
      - id: live_sync_objects
        type: u8
      - id: live_handles
        type: u8
      - id: first_chunk_va
        type: u8
        repeat: expr
        repeat-expr: 4
        doc: index 0 heap, 1 thread, 2 sync, 3 handle; 0 = no chunk
      - id: histogram_buckets
        type: u4
        valid: 32
      - id: reserved1
        type: u4
      - id: histogram
        type: u8
        repeat: expr
        repeat-expr: 32
      - id: module_list_va
        type: u8
        if: version_minor >= 1
        doc: first module chunk, 0 = none; reserved (zero) before 1.1
  chunk_header:
    seq:
      - id: magic
        contents: RMCK
      - id: kind
        type: u4
        valid:
          min: 1
          max: 4
      - id: record_size
        type: u4
        valid:
          min: 160
          max: 65536
      - id: capacity
        type: u4
      - id: used
        type: u4
        valid:
          max: capacity
      - id: reserved1
        type: u4
      - id: next_va
        type: u8
  record_common:
    doc: The first 160 bytes of every record.
    seq:
      - id: state
        type: u4
        doc: 0 free slot, 1 live
      - id: creator_tid
        type: u4
      - id: time_ns
        type: u8
      - id: handle
        type: u8
      - id: depth
        type: u2
        valid:
          max: 16
      - id: subtype
        type: u2
      - id: attributes
        type: u4
        doc: sync objects - how they were created (event reset type, initial state, semaphore counts); kernel pool blocks - the pool type
      - id: frames
        type: u8
        repeat: expr
        repeat-expr: 16
  heap_fields:
    doc: Heap records, from offset 160.
    seq:
      - id: size
        type: u8
      - id: tag
        type: u8
  thread_fields:
    doc: Thread records, from offset 160.
    seq:
      - id: thread_id
        type: u8
      - id: start_va
        type: u8
      - id: create_time_ns
        type: u8
      - id: exit_time_ns
        type: u8
      - id: user_cpu_ns
        type: u8
      - id: kernel_cpu_ns
        type: u8
  module_chunk_header:
    doc: A chunk of the module list (1.1); `capacity` entries, then a string area of `string_bytes`.
    seq:
      - id: magic
        contents: RMMD
      - id: entry_size
        type: u4
        valid:
          max: 65536
        doc: at least 96; ResmonTableReader checks it, and used <= capacity, string_used <= string_bytes, with messages that name the field
      - id: capacity
        type: u4
      - id: used
        type: u4
      - id: string_bytes
        type: u4
      - id: string_used
        type: u4
      - id: next_va
        type: u8
  module_entry:
    doc: One loaded module (1.1); strings are offsets into its chunk's string area.
    seq:
      - id: base
        type: u8
      - id: size
        type: u8
      - id: load_time_ns
        type: u8
        doc: since start_time_ns; 0 = loaded before the capture started
      - id: unload_time_ns
        type: u8
        doc: 0 while loaded
      - id: ofs_path
        type: u4
      - id: ofs_debug_file
        type: u4
        doc: 0xffffffff = none
      - id: id_kind
        type: u2
        enum: module_id_kind
      - id: len_id
        type: u2
        valid:
          max: 32
      - id: age
        type: u4
      - id: timestamp
        type: u4
        doc: PE TimeDateStamp; 0 for ELF
      - id: reserved1
        type: u4
      - id: id
        size: 32
      - id: reserved2
        type: u8
  image_header:
    doc: A table image file's header; the ranges follow.
    seq:
      - id: magic
        contents: LKRMIMG1
      - id: version
        type: u4
        valid: 1
      - id: range_count
        type: u4
      - id: header_va
        type: u8
  image_range:
    seq:
      - id: va
        type: u8
      - id: length
        type: u8
enums:
  module_id_kind:
    0: none
    1: gnu_build_id
    2: pe_rsds
