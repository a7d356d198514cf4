#!/usr/bin/env bash
# What the tests need beyond the JDK, installed on a fresh machine of this project's kind (Debian; root or sudo):
# the datasets (scripts/setup-datasets.sh), a python3 with numpy and scipy (the artifact tests open models and the
# exported fast forms with them) and
# Debian's prometheus (the dashboard check queries a real Prometheus; promtool checks /q/metrics), Node.js with npm
# and the dashboard check's packages (grafana/check: npm ci from its lockfile). Without root and
# sudo it names what is missing in one line and how to get it, and exits 1 before any test runs.
# Prints the python3 to use (one with numpy and scipy) on its last line, for bin/test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/setup-datasets.sh" >&2

need=()
has() { "$1" -c 'import numpy, scipy.sparse' 2>/dev/null; }
has python3 || has /usr/bin/python3 || need+=(python3-numpy python3-scipy)
{ command -v prometheus && command -v promtool; } >/dev/null 2>&1 || need+=(prometheus)
{ command -v node && command -v npm; } >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"
  else echo "the tests need Debian's ${need[*]}: apt-get install ${need[*]} (as root), then run bin/test again" >&2; exit 1
  fi
  echo "installing what the tests need: ${need[*]} (Debian)" >&2
  $sudo apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Grafana's frontend data code for the dashboard check, as the lockfile pins it (installed again when it changed)
check="$here/../grafana/check"
if [ ! -f "$check/node_modules/.package-lock.json" ] || [ "$check/package-lock.json" -nt "$check/node_modules/.package-lock.json" ]; then
  echo "installing the dashboard check's packages (npm ci in grafana/check)" >&2
  (cd "$check" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
if has python3; then echo python3; else echo /usr/bin/python3; fi
