#!/usr/bin/env bash
# Builds the native kernels (Node-API addon, linux-x64) from kernels/*.c + native/*.c:
#   packages/cells/native/build.sh [OUT_FILE]   (default: packages/cells/prebuilds/linux-x64/gated-kernels.node)
# Needs clang (Debian: apt-get install clang) and the node-api-headers devDependency (npm ci); no download.
# The GEMM is compiled three times (AVX-512, AVX2 + FMA, SSE2) and picked at load time by CPU dispatch.
set -euo pipefail
declare -A isa_flags
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pkg="$here/.."
out="${1:-$pkg/prebuilds/linux-x64/gated-kernels.node}"
CLANG="${CLANG:-clang}"
headers="$(cd "$pkg" && node -e "process.stdout.write(require('node-api-headers').include_dir)")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# -ffile-prefix-map keeps build paths out of the binary; no debug info; symbols hidden but the module's entry.
common=(-O3 -fPIC -fvisibility=hidden -ffp-contract=on -march=x86-64 -mtune=generic -std=gnu11
  -Wall -Wextra -Werror -Wno-unused-parameter -ffile-prefix-map="$pkg"=. -I"$headers")
objs=()
for src in "$here"/batch-split.c "$pkg"/kernels/arena.c \
  "$here"/memory.c "$here"/stream.c "$here"/pool.c "$here"/dispatch.c "$here"/linear-ce.c "$here"/attention.c "$here"/adam.c "$here"/addon.c; do
  o="$tmp/$(basename "$src" .c).o"
  "$CLANG" "${common[@]}" -c "$src" -o "$o"
  objs+=("$o")
done
# The GEMM and the recurrent kernels (their gate math in the ISA's vector width) once per instruction set; each
# build's kernel entry points get the ISA's suffix (dispatch.c picks one set).
isa_flags=([avx512]="-mavx512f -mavx512vl -mavx2 -mfma" [avx2]="-mavx2 -mfma" [base]="")
for isa in avx512 avx2 base; do
  read -r -a flags <<< "${isa_flags[$isa]}"
  "$CLANG" "${common[@]}" "${flags[@]}" -c "$here/gemm-native.c" -o "$tmp/gemm-$isa.o"
  renames=()
  for fn in lstm_forward lstm_backward gru_saved_width gru_forward gru_backward rnn_forward rnn_backward; do
    renames+=("-D$fn=${fn}_$isa")
  done
  for kernel in lstm gru rnn; do
    "$CLANG" "${common[@]}" "${flags[@]}" "${renames[@]}" -c "$pkg/kernels/$kernel.c" -o "$tmp/$kernel-$isa.o"
  done
done
mkdir -p "$(dirname "$out")"
"$CLANG" -shared -fPIC -o "$tmp/gated-kernels.node" "${objs[@]}" "$tmp"/gemm-*.o "$tmp"/lstm-*.o "$tmp"/gru-*.o "$tmp"/rnn-*.o -lpthread \
  -Wl,--build-id=none -Wl,-s -Wl,-z,defs -Wl,--unresolved-symbols=ignore-in-object-files
mv "$tmp/gated-kernels.node" "$out"
echo "wrote $out ($(wc -c < "$out") bytes, $("$CLANG" --version | head -n 1))"
