# The driver test, sourced by tests/run.sh from native-capture/windows with BUILD set and tests/wine.sh sourced:
#   1. driver/pe_check.py: resmon_driver.sys is a loadable x64 driver as far as the file tells;
#   2. a smoke run under Wine's driver host (sc create/start/stop: DriverEntry, then DriverUnload), whose DbgPrint
#      lines driver/check_report.py compares with the leaks DriverEntry plants.
# Wine's driver host (winedevice.exe) is started by services.exe, which inherits the stderr and WINEDEBUG of the
# first program of a wineserver session; so the run gets a wineserver session of its own (in the run's shared
# prefix: the other tests' server is stopped first), and its first program is run with the debugstr channel on
# (DbgPrint lines are its warnings) and its stderr in a file.
SYS="$BUILD/resmon_driver.sys"
OBJDUMP="${OBJDUMP:-x86_64-w64-mingw32-objdump}"
RUN="$BUILD/driver-run"
SERVICE=resmon_driver

python3 driver/pe_check.py "$SYS" || { echo "driver: $SYS fails the PE checks" >&2; exit 1; }

rm -rf "$RUN"
mkdir -p "$RUN"
cp "$SYS" "$RUN/$SERVICE.sys"
WINEDEBUG=-all,+debugstr
export WINEDEBUG

driver_stop_wine() {
  wineserver -k >/dev/null 2>&1 </dev/null || true
  wineserver -w >/dev/null 2>&1 </dev/null || true
}
trap driver_stop_wine EXIT
driver_stop_wine # a server left over from an interrupted run would own services.exe's stderr
wine_start
driver_stop_wine # wineboot's services.exe writes to wineboot's output: start over
wineserver -p >/dev/null 2>&1 </dev/null || {
  echo "driver: could not start a persistent wineserver for $WINEPREFIX" >&2; exit 1; }

# wine_run with a message and every output file on failure
driver_step() {
  _name="$1"; shift
  wine_run "$@" || {
    _status=$?
    echo "driver: '$_name' failed (status $_status, 124: timed out); outputs:" >&2
    for _f in "$RUN"/*.out "$RUN"/*.err; do echo "--- $_f" >&2; cat "$_f" >&2; done
    exit 1
  }
}
driver_step "sc create" 120 "$RUN/create.out" "$RUN/host.err" \
  sc create "$SERVICE" type= kernel binPath= "$(win_path "$RUN/$SERVICE.sys")"
driver_step "sc start" 60 "$RUN/start.out" "$RUN/start.err" sc start "$SERVICE"
driver_step "sc stop" 60 "$RUN/stop.out" "$RUN/stop.err" sc stop "$SERVICE"
# cleanup, not a check: seen failing once in ten runs with status 1 and no output, right after a stop; a second
# try a second later goes through (a kept WINEPREFIX must not keep the service for the next run's sc create)
wine_run 30 "$RUN/delete.out" "$RUN/delete.err" sc delete "$SERVICE" || { sleep 1;
  driver_step "sc delete" 30 "$RUN/delete.out" "$RUN/delete.err" sc delete "$SERVICE"; }
driver_stop_wine # every process of the run ended: the logs are complete

python3 driver/check_report.py "$SYS" "$OBJDUMP" "$RUN"/*.err || {
  echo "driver: the report does not match the planted leaks (Wine's output is in $RUN)" >&2; exit 1; }
grep -h "$SERVICE.sys|resmon| " "$RUN"/*.err | sed 's/^.*|resmon| /  /' >"$RUN/report.txt"
echo "driver: PE checks and the Wine smoke run passed (report in $RUN/report.txt)" >&2
