#!/usr/bin/env bash
# Rebuilds the fused recurrent kernels: kernels/*.c → src/fused/wasm-binary.ts (the .wasm embedded as base64).
# Usage: packages/cells/kernels/build.sh [OUT_DIR]   (default: packages/cells/src/fused)
# Deterministic: same clang → same bytes; the test in src/fused/wasm-binary.test.ts checks it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../src/fused}"
CLANG="${CLANG:-clang}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sources=(arena.c gemm.c lstm.c gru.c rnn.c)
# -ffile-prefix-map keeps the build directory out of the bytes; no debug info, no producers section.
(cd "$here" && "$CLANG" --target=wasm32 -O3 -msimd128 -nostdlib -ffreestanding -fno-builtin \
  -ffile-prefix-map="$here"=. \
  -Wall -Wextra -Werror -Wno-unused-parameter \
  -Wl,--no-entry -Wl,--export-dynamic -Wl,--strip-all -Wl,--initial-memory=1048576 \
  -o "$tmp/recurrent.wasm" "${sources[@]}")
version="$("$CLANG" --version | head -n 1)"
node "$here/embed.mjs" "$tmp/recurrent.wasm" "$version" "$out/wasm-binary.ts"
echo "wrote $out/wasm-binary.ts ($(wc -c < "$tmp/recurrent.wasm") bytes of wasm, $version)"
