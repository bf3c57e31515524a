# resmon_client.exe and its test programs (included by ../Makefile; paths relative to native-capture/windows).
CLIENT_TEST_CFLAGS = -O1 -g -fno-omit-frame-pointer -fno-inline

ALL += $(BUILD)/resmon_client.exe $(BUILD)/crash_target.exe
TESTS += client/test.sh

$(BUILD)/resmon_client.exe: client/resmon_client.c ../include/resmon_table.h | $(BUILD)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -municode -o $@ client/resmon_client.c -ldbghelp

$(BUILD)/crash_target.exe: client/crash_target.c | $(BUILD)
	$(CC) $(WARN) $(CLIENT_TEST_CFLAGS) -o $@ client/crash_target.c
