#!/usr/bin/python3
"""Writes a small PyTorch checkpoint with the layout of the official GFPGANv1.4.pth.

Run with Debian's torch (apt-get install -y python3-torch):
    /usr/bin/python3 tools/make_gfpgan_pth_fixture.py ../shared/golden/gfpgan/schema.json src/test/resources/enhance

gfpgan_v14_params_ema.pth: {'params_ema': OrderedDict(key -> tensor)} with every key and shape of
the v1.4 state dict (schema.json), saved by torch.save like the release. Each tensor is a one-element
storage expanded to the full shape (stride 0), so the file stays a few kilobytes while the reader
still sees full-size tensors: tensor number i (schema order) holds the value (i + 1) / 1024.
"""
import collections
import json
import sys

import torch


def main(schema_path, out_dir):
    schema = json.load(open(schema_path))["gfpgan_v14 (inside params_ema)"]
    params = collections.OrderedDict()
    for i, (key, shape) in enumerate(schema.items()):
        params[key] = torch.full((1,) * len(shape), (i + 1) / 1024.0).expand(*shape)
    out = f"{out_dir}/gfpgan_v14_params_ema.pth"
    torch.save({"params_ema": params}, out)
    back = torch.load(out)["params_ema"]
    assert list(back) == list(schema) and all(list(back[k].shape) == schema[k] for k in schema)
    print("wrote", out, len(params), "tensors")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
