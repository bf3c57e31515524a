# resmon.dll and its tests (included by ../Makefile)
DLL_SRC = dll/resmon_dll.c dll/hooks.c dll/iat.c dll/modules.c dll/output.c
ALL += $(BUILD)/resmon.dll $(BUILD)/planted_leaks.exe $(BUILD)/planted_plugin.dll $(BUILD)/planted_linked.exe $(BUILD)/stress.exe \
       $(BUILD)/planted_growth.exe $(BUILD)/planted_ucrt.dll
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
