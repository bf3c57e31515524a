#!/bin/sh
# native-capture's tests, run by `mvn verify` (and so by .ci/run). Without a C compiler and make they are
# skipped with a message on a developer's machine, and fail in CI (CI set), which installs both.
set -eu
cd "$(dirname "$0")/.."
if ! command -v "${CC:-cc}" >/dev/null 2>&1 || ! command -v make >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then
    echo "native-capture: no C compiler or make, and CI is set: failing" >&2
    exit 1
  fi
  echo "native-capture: no C compiler or make: C tests SKIPPED (install gcc and make to run them)" >&2
  exit 0
fi
make -s test
