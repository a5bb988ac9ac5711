#!/usr/bin/python3
"""Runs the onnx checker (Debian python3-onnx, onnx 1.12) over ONNX models, with full shape inference.

Usage:
  GATED_ONNX_DUMP=/tmp/gated-onnx npx vitest run --project @gated/onnx   # tests write every model they run
  /usr/bin/python3 tools/onnx-check.py /tmp/gated-onnx [more dirs or .onnx files]

Prints one line per failing model and a summary; exits 1 if any model fails or none was found.
"""
import os
import sys

import onnx


def models(paths):
    for p in paths:
        if os.path.isdir(p):
            for name in sorted(os.listdir(p)):
                if name.endswith('.onnx'):
                    yield os.path.join(p, name)
        else:
            yield p


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    checked = failed = 0
    ir_versions, opsets, ops = set(), set(), set()
    for path in models(argv[1:]):
        checked += 1
        try:
            m = onnx.load(path)
            onnx.checker.check_model(m, full_check=True)
            ir_versions.add(m.ir_version)
            opsets.update(o.version for o in m.opset_import if o.domain in ('', 'ai.onnx'))
            ops.update(n.op_type for n in m.graph.node)
        except Exception as e:  # noqa: BLE001 - report every failure, keep going
            failed += 1
            print(f'FAIL {path}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ""}')
    print(f'onnx {onnx.__version__} checker (full_check): {checked - failed}/{checked} models pass; '
          f'ir_version {sorted(ir_versions)}, opsets {sorted(opsets)}, operators {sorted(ops)}')
    return 1 if failed or checked == 0 else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
