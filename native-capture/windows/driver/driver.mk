# The kernel-mode tracker and the sample driver (included by ../Makefile; paths are relative to windows/).
#   $(BUILD)/resmon_driver.sys   the sample driver, linked with the library against ntoskrnl and hal, its PE
#                                checksum written by driver/pe_check.py --fix, then checked by it
#   $(BUILD)/driver32/*.o        the same sources compiled for 32-bit x86, only when i686-w64-mingw32-gcc exists
#                                (compile only: nothing here can load a 32-bit driver)

# mingw's DDK headers sit beside its import libraries: <prefix>/lib/libntoskrnl.a, <prefix>/include/ddk
DDK_INCLUDE ?= $(abspath $(dir $(shell $(CC) -print-file-name=libntoskrnl.a))../include/ddk)
PYTHON ?= python3

KM_SOURCES = driver/resmon_driver.c driver/resmon_km.c ../src/table.c ../src/report_table.c
KM_HEADERS = driver/resmon_km.h $(TABLE)
KM_CPPFLAGS = $(CPPFLAGS) -Idriver -I$(DDK_INCLUDE) -DRESMON_NT_KERNEL
# no stack cookies or stack probes: they need the CRT's __security_cookie and ___chkstk_ms, not in a driver
KM_CFLAGS = $(CFLAGS) $(WARN) -fno-stack-protector -mno-stack-arg-probe
KM_LDFLAGS = -shared -nostdlib -nostartfiles -Wl,--subsystem,native -Wl,--entry,DriverEntry \
	-Wl,--enable-reloc-section

ALL += $(BUILD)/resmon_driver.sys
TESTS += driver/test.sh

$(BUILD)/resmon_driver.sys: $(KM_SOURCES) $(KM_HEADERS) driver/pe_check.py | $(BUILD)
	@test -f $(DDK_INCLUDE)/ntddk.h || { echo "driver: no ntddk.h in $(DDK_INCLUDE) (set DDK_INCLUDE)" >&2; exit 1; }
	$(CC) $(KM_CPPFLAGS) $(KM_CFLAGS) $(KM_LDFLAGS) -o $@.tmp $(KM_SOURCES) -lntoskrnl -lhal
	$(PYTHON) driver/pe_check.py --fix $@.tmp
	mv $@.tmp $@

CC32 ?= i686-w64-mingw32-gcc
ifneq ($(shell command -v $(CC32) 2>/dev/null),)
DDK_INCLUDE32 ?= $(abspath $(dir $(shell $(CC32) -print-file-name=libntoskrnl.a))../include/ddk)
KM_OBJECTS32 = $(patsubst %.c,$(BUILD)/driver32/%.o,$(notdir $(KM_SOURCES)))
ALL += $(KM_OBJECTS32)

$(BUILD)/driver32:
	mkdir -p $@

$(BUILD)/driver32/%.o: driver/%.c $(KM_HEADERS) | $(BUILD)/driver32
	$(CC32) $(CPPFLAGS) -Idriver -I$(DDK_INCLUDE32) -DRESMON_NT_KERNEL $(KM_CFLAGS) -c -o $@ $<

$(BUILD)/driver32/%.o: ../src/%.c $(KM_HEADERS) | $(BUILD)/driver32
	$(CC32) $(CPPFLAGS) -Idriver -I$(DDK_INCLUDE32) -DRESMON_NT_KERNEL $(KM_CFLAGS) -c -o $@ $<
endif
