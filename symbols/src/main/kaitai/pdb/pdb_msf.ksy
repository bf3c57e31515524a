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
