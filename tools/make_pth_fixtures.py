#!/usr/bin/python3
"""Writes the small PyTorch checkpoints the Java readers are tested against.

Run with Debian's torch (apt-get install -y python3-torch):
    /usr/bin/python3 tools/make_pth_fixtures.py src/test/resources/weights

Files:
  tiny_zip.pth.tar      torch.save zip archive: {'params_ema': OrderedDict(...), 'mapping': {...},
                        'epoch': 7, 'note': 'x', 'args': [1, 2.5, None, True]}
  tiny_legacy.pth.tar   the same object, _use_new_zipfile_serialization=False
  tiny_reference.safetensors  every tensor of the object, contiguous float32, under the flattened
                        key the Java reader gives it (params_ema.conv.weight ...), written with the
                        safetensors layout by hand (no safetensors package needed).
Tensors cover F32, F16, BF16, I64, a transposed (strided) view, a view with a storage offset and
two tensors sharing one storage.
"""
import collections
import sys

import torch

from safetensors_writer import write_safetensors


def build():
    g = torch.Generator().manual_seed(1234)
    conv = torch.randn(4, 3, 3, 3, generator=g)
    base = torch.randn(6, 5, generator=g)
    shared = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    params = collections.OrderedDict()
    params["conv.weight"] = conv
    params["conv.bias"] = torch.randn(4, generator=g)
    params["half.weight"] = torch.randn(3, 7, generator=g).half()
    params["bf16.weight"] = torch.randn(2, 9, generator=g).bfloat16()
    params["bn.num_batches_tracked"] = torch.tensor(12345, dtype=torch.int64)
    params["transposed"] = base.t()                  # strides (1, 5)
    params["row_view"] = shared[2]                   # storage offset 12
    params["col_view"] = shared[:, 1:4]              # offset 1, strides (6, 1)
    params["shared_full"] = shared
    mapping = collections.OrderedDict()
    mapping["first.0.weight"] = torch.randn(8, 5, 7, generator=g)
    mapping["fc.bias"] = torch.randn(6, generator=g).double()
    return {"params_ema": params, "mapping": mapping, "epoch": 7, "note": "x",
            "args": [1, 2.5, None, True]}


def flatten(prefix, obj, out):
    if isinstance(obj, torch.Tensor):
        out[prefix] = obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            flatten(f"{prefix}.{i}" if prefix else str(i), v, out)


def main(out_dir):
    obj = build()
    torch.save(obj, f"{out_dir}/tiny_zip.pth.tar")
    torch.save(obj, f"{out_dir}/tiny_legacy.pth.tar", _use_new_zipfile_serialization=False)
    flat = {}
    flatten("", obj, flat)
    write_safetensors(f"{out_dir}/tiny_reference.safetensors", flat)
    # Sanity: torch reads back what it wrote.
    back = torch.load(f"{out_dir}/tiny_legacy.pth.tar")
    assert torch.equal(back["params_ema"]["transposed"], obj["params_ema"]["transposed"])
    print("wrote", len(flat), "tensors:", ", ".join(flat))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/weights")
