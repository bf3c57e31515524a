# resmon_client.exe and its test programs (included by ../Makefile; paths relative to native-capture/windows).
# resmon_client.c: options, the log, wmain; debugger.c: the debug session; table_copy.c: the table's copy
CLIENT_SRC = client/resmon_client.c client/debugger.c client/table_copy.c
CLIENT_TEST_CFLAGS = -O1 -g -fno-omit-frame-pointer -fno-inline

ALL += $(BUILD)/resmon_client.exe $(BUILD)/crash_target.exe $(BUILD)/table_copy_test.exe
TESTS += client/test.sh

$(BUILD)/resmon_client.exe: $(CLIENT_SRC) client/client.h ../include/resmon_table.h | $(BUILD)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -municode -o $@ $(CLIENT_SRC) -ldbghelp

$(BUILD)/crash_target.exe: client/crash_target.c | $(BUILD)
	$(CC) $(WARN) $(CLIENT_TEST_CFLAGS) -o $@ client/crash_target.c

# the table copy against damaged tables, built around a real table (../src/table.c) in its own memory
$(BUILD)/table_copy_test.exe: client/table_copy_test.c client/table_copy.c client/client.h ../src/table.c $(TABLE) | $(BUILD)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -o $@ client/table_copy_test.c client/table_copy.c ../src/table.c
