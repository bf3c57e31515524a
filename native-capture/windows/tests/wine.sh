# Sourced by the Windows tests: one Wine prefix and one wineserver for the whole run, and `wine_run`, which
# runs a Windows program with a time limit and its output in files. Wine's output is never piped: its
# background processes keep a pipe open and the pipeline would hang.
#   wine_run SECONDS OUT ERR program.exe args...   (exit status of the program, 124 on timeout)
: "${BUILD:?BUILD must be set}"
WINEPREFIX="${WINEPREFIX:-$(cd "$BUILD" && pwd)/wineprefix}" # one per concurrent user: wineserver -k ends all of a prefix
WINEDEBUG="${WINEDEBUG:--all}"
# no Mono or Gecko install dialogs when the prefix is created
WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
export WINEPREFIX WINEDEBUG WINEDLLOVERRIDES
WINE="${WINE:-wine}"

wine_run() {
  _t="$1"; _out="$2"; _err="$3"; shift 3
  timeout -k 5 "$_t" "$WINE" "$@" >"$_out" 2>"$_err" </dev/null
}

wine_start() {
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
}

# a Linux path as the Windows path wine gives it (Z:\...)
win_path() {
  printf 'Z:%s' "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" | tr / '\\'
}
