#!/bin/sh
# native-capture's tests, run by `mvn verify` (and so by .ci/run). Without a C and a C++ compiler and make they
# are skipped with a message on a developer's machine, and fail in CI (CI set), which installs them.
set -eu
cd "$(dirname "$0")/.."
if ! command -v "${CC:-cc}" >/dev/null 2>&1 || ! command -v "${CXX:-g++}" >/dev/null 2>&1 \
    || ! command -v make >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then
    echo "native-capture: no C or C++ compiler or make, and CI is set: failing" >&2
    exit 1
  fi
  echo "native-capture: no C or C++ compiler or make: C tests SKIPPED (install gcc, g++ and make to run them)" >&2
  exit 0
fi
make -s test

# the Windows trackers: cross-built with mingw-w64, run under Wine (required in CI, which installs both)
# (the C++ test programs need its g++ as well)
if command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 && command -v x86_64-w64-mingw32-g++ >/dev/null 2>&1 \
    && command -v wine >/dev/null 2>&1; then
  make -s -C windows test
elif [ -n "${CI:-}" ]; then
  echo "native-capture: no mingw-w64 or wine, and CI is set: failing" >&2
  exit 1
else
  echo "native-capture: no mingw-w64 (x86_64-w64-mingw32-gcc and -g++) or wine: Windows tests SKIPPED" >&2
fi
