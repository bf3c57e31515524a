# resmon.dll and its tests (included by ../Makefile)
DLL_SRC = dll/resmon_dll.c dll/hooks.c dll/cxx_hooks.c dll/iat.c dll/main_entry.c dll/modules.c dll/output.c
ALL += $(BUILD)/resmon.dll $(BUILD)/planted_leaks.exe $(BUILD)/planted_plugin.dll $(BUILD)/planted_linked.exe $(BUILD)/stress.exe \
       $(BUILD)/planted_growth.exe $(BUILD)/planted_ucrt.dll $(BUILD)/planted_inline.exe
TESTS += dll/test.sh

# C99 printf (%llu) from mingw's own stdio, not msvcrt's
DLL_FLAGS = -D__USE_MINGW_ANSI_STDIO=1
# the tracker's own frames are skipped by address range, so it needs no frame pointers; static libgcc keeps
# the DLL to system imports only
$(BUILD)/resmon.dll: $(DLL_SRC) dll/resmon_dll.h $(TABLE) | $(BUILD)
	$(CC) $(CPPFLAGS) $(DLL_FLAGS) $(CFLAGS) $(WARN) -shared -static-libgcc -o $@ $(DLL_SRC) ../src/table.c ../src/report_table.c \
	  -Wl,--out-implib,$(BUILD)/libresmon.dll.a -lpsapi

# test programs are built like a user's debug build: frame pointers, no inlining, symbols kept, and a CodeView
# record (--build-id) for the table's module list to carry
TESTFLAGS = -O1 -g -fno-omit-frame-pointer -fno-inline -Wl,--build-id $(WARN) -I../include
$(BUILD)/planted_leaks.exe: dll/planted_leaks.c | $(BUILD)
	$(CC) $(TESTFLAGS) -o $@ $<

# the Linux test program whose allocation and crash are in inlined code, as a release build (-O2): cli's
# SourceLinesEndToEndTest reads its crash dump's inline frame
$(BUILD)/planted_inline.exe: ../tests/planted_inline.c | $(BUILD)
	$(CC) -O2 -g -fno-omit-frame-pointer -Wl,--build-id $(WARN) -o $@ $<

$(BUILD)/planted_plugin.dll: dll/planted_plugin.c | $(BUILD)
	$(CC) $(TESTFLAGS) -shared -o $@ $<

# (with a PDB whose name holds a space, so that resmon.dll's module line escapes it: pdb planted%20ucrt.pdb)
$(BUILD)/planted_ucrt.dll: dll/planted_ucrt.c | $(BUILD)
	$(CC) $(TESTFLAGS) -shared -nostdlib -nostartfiles -Wl,--entry,DllMain "-Wl,--pdb=$(BUILD)/planted ucrt.pdb" \
	  -o $@ $< -lucrtbase -lkernel32

$(BUILD)/planted_linked.exe: dll/planted_leaks.c $(BUILD)/resmon.dll | $(BUILD)
	$(CC) $(TESTFLAGS) -DRESMON_LINKED -o $@ $< -L$(BUILD) -lresmon

$(BUILD)/stress.exe: dll/stress.c $(BUILD)/resmon.dll | $(BUILD)
	$(CC) $(TESTFLAGS) -O2 -o $@ $< -L$(BUILD) -lresmon

$(BUILD)/planted_growth.exe: dll/planted_growth.c $(BUILD)/resmon.dll | $(BUILD)
	$(CC) $(TESTFLAGS) -o $@ $< -L$(BUILD) -lresmon

# the planted C++ program (planted_cxx.cc), at -O1 and -O2, with libstdc++ linked statically and as
# libstdc++-6.dll (copied beside the exe, with libgcc_s_seh-1.dll, for Wine to load); frame pointers are not
# asked for: the stacks come from RtlCaptureStackBackTrace's unwinding through the images' .pdata
CXX = $(MINGW)g++
CXX_TESTFLAGS = -g -Wall -Wextra -Werror -Wl,--build-id
CXX_VARIANTS = O1-static O2-static O1-shared O2-shared
CXX_RUNTIME_DLLS = $(shell $(CXX) -print-file-name=libstdc++-6.dll) $(shell $(CXX) -print-file-name=libgcc_s_seh-1.dll)
# planted_cxx_linked.exe imports resmon.dll (a copy beside it) to run without a debugger (see planted_cxx.cc)
ALL += $(foreach v,$(CXX_VARIANTS),$(BUILD)/cxx-$(v)/planted_cxx.exe $(BUILD)/cxx-$(v)/planted_cxx_linked.exe)
CXX_LINKED = -DRESMON_LINKED -L$(BUILD) -lresmon
$(BUILD)/cxx-%-static/planted_cxx.exe: dll/planted_cxx.cc
	mkdir -p $(@D)
	$(CXX) -$* $(CXX_TESTFLAGS) -static-libstdc++ -static-libgcc -o $@ $<
$(BUILD)/cxx-%-static/planted_cxx_linked.exe: dll/planted_cxx.cc $(BUILD)/resmon.dll
	mkdir -p $(@D)
	cp $(BUILD)/resmon.dll $(@D)/
	$(CXX) -$* $(CXX_TESTFLAGS) -static-libstdc++ -static-libgcc -o $@ $< $(CXX_LINKED)
$(BUILD)/cxx-%-shared/planted_cxx.exe: dll/planted_cxx.cc
	mkdir -p $(@D)
	cp $(CXX_RUNTIME_DLLS) $(@D)/
	$(CXX) -$* $(CXX_TESTFLAGS) -o $@ $<
$(BUILD)/cxx-%-shared/planted_cxx_linked.exe: dll/planted_cxx.cc $(BUILD)/resmon.dll
	mkdir -p $(@D)
	cp $(CXX_RUNTIME_DLLS) $(BUILD)/resmon.dll $(@D)/
	$(CXX) -$* $(CXX_TESTFLAGS) -o $@ $< $(CXX_LINKED)

# operator new and delete of msvcrt.dll, imported by their MSVC decorated names (an import library from a .def)
ALL += $(BUILD)/planted_msvcnew.exe
$(BUILD)/libmsvcrt_new.a: dll/msvcrt_new.def | $(BUILD)
	$(MINGW)dlltool -d $< -l $@
$(BUILD)/planted_msvcnew.exe: dll/planted_msvcnew.c $(BUILD)/libmsvcrt_new.a | $(BUILD)
	$(CC) $(TESTFLAGS) -o $@ $< $(BUILD)/libmsvcrt_new.a
