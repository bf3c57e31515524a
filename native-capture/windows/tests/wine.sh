# Sourced by the Windows tests: one Wine prefix and one wineserver for the whole run, and `wine_run`, which
# runs a Windows program with a time limit and its output in files. Wine's output is never piped: its
# background processes keep a pipe open and the pipeline would hang.
#   wine_run SECONDS OUT ERR program.exe args...   (exit status of the program, 124 on timeout)
# The prefix (about 700 MB) is made for the run, in $BUILD/wineprefix.PID, and removed by wine_stop: the runs
# that source this file again inside it (tests/run.sh's test scripts) inherit WINEPREFIX and share it. A
# WINEPREFIX set by the caller is used as it is and kept (a developer's faster reruns).
: "${BUILD:?BUILD must be set}"
if [ -z "${WINEPREFIX:-}" ]; then
  WINEPREFIX="$(cd "$BUILD" && pwd)/wineprefix.$$" # one per run: wineserver -k ends all of a prefix
  WINE_OWN_PREFIX=$WINEPREFIX
fi
WINEDEBUG="${WINEDEBUG:--all}"
# no Mono or Gecko install dialogs when the prefix is created
WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES
WINE="${WINE:-wine}"

wine_run() {
  _t="$1"; _out="$2"; _err="$3"; shift 3
  timeout -k 5 "$_t" "$WINE" "$@" >"$_out" 2>"$_err" </dev/null && return 0
  _rc=$?
  # The wine server went away under the program ("wine client error: recvmsg: Connection reset by peer", seen on a
  # loaded 2-core machine): the program never ran to its end. Start a server and run it once more, saying so.
  if grep -q 'wine client error' "$_err"; then
    echo "wine: the wine server went away while $1 ran; running it once more" >&2
    wineserver -p >/dev/null 2>&1 </dev/null || true
    timeout -k 5 "$_t" "$WINE" "$@" >"$_out" 2>"$_err" </dev/null
    return $?
  fi
  return $_rc
}

wine_start() {
  # prefixes left by runs that were killed before wine_stop, and the fixed ones older versions kept
  for _p in "$BUILD"/wineprefix.* "$BUILD/wineprefix" "$BUILD/wineprefix-driver"; do
    [ -d "$_p" ] && [ "$_p" != "$WINEPREFIX" ] || continue
    case "$_p" in *.[0-9]*) kill -0 "${_p##*.}" 2>/dev/null && continue ;; esac # a run still going
    rm -rf "$_p"
  done
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "wine: creating the prefix $WINEPREFIX (once, about 10 s)" >&2
    timeout -k 5 300 wineboot -i >"$BUILD/wineboot.out" 2>&1 </dev/null || {
      echo "wine: wineboot failed; its output:" >&2; cat "$BUILD/wineboot.out" >&2; return 1; }
  fi
  # stays up between programs; stopped by wine_stop. It fails when a server already runs (wineboot's, just
  # after the prefix was created, or one left by an interrupted run): that one serves instead
  wineserver -p >/dev/null 2>&1 </dev/null || true
}

wine_stop() {
  wineserver -k >/dev/null 2>&1 </dev/null || true
  if [ -n "${WINE_OWN_PREFIX:-}" ] && [ "$WINE_OWN_PREFIX" = "$WINEPREFIX" ]; then
    wineserver -w >/dev/null 2>&1 </dev/null || true # its files are closed before they go
    rm -rf "$WINE_OWN_PREFIX"
  fi
}

# a Linux path as the Windows path wine gives it (Z:\...)
win_path() {
  printf 'Z:%s' "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" | tr / '\\'
}
