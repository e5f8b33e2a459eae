#!/usr/bin/python3
"""Golden vectors for the ParseNet face parser (facexlib), with procedural weights.

Run with Debian's torch (apt-get install -y python3-torch) against a checkout of xinntao/facexlib:
    /usr/bin/python3 tools/make_parsenet_golden.py /path/to/facexlib src/test/resources/enhance/parsenet_golden.safetensors

The reference module is imported from the checkout (facexlib/parsing/parsenet.py), built as
facexlib's init_parsing_model builds it (ParseNet(in_size=512, out_size=512, parsing_ch=19)), and
given the procedural weights of shared/golden/README.md (empty salt). The net is fully
convolutional, so a 64x64 input keeps the file small. Tensors: in.face (1x3x64x64 in [-1, 1]),
out.mask (1x19x64x64 logits), out.img (1x3x64x64). Metadata: the state dict's keys and shapes.
"""
import importlib.util
import json
import math
import sys

import torch

from safetensors_writer import write_safetensors

M64 = (1 << 64) - 1


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & M64
    return h


def splitmix64(x):
    z = (x + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def procedural(key, shape):
    n = math.prod(shape)
    leaf = key.rsplit(".", 1)[-1]
    if leaf == "num_batches_tracked":
        return torch.zeros(shape, dtype=torch.int64)
    seed = fnv1a64(key.encode())
    bound = math.sqrt(3.0 / math.prod(shape[1:])) if len(shape) >= 2 else 0.1
    vals = []
    for i in range(n):
        u = (splitmix64((seed + i) & M64) >> 40) / 16777216.0
        if leaf == "running_var":
            v = 0.5 + u
        elif leaf == "running_mean":
            v = (2 * u - 1) * 0.1
        elif len(shape) >= 2:
            v = (2 * u - 1) * bound
        elif leaf in ("weight", "weight_orig", "gamma"):
            v = 1 + (2 * u - 1) * 0.1
        else:
            v = (2 * u - 1) * 0.1
        vals.append(v)
    return torch.tensor(vals, dtype=torch.float64).to(torch.float32).reshape(shape)


def main(facexlib, out):
    spec = importlib.util.spec_from_file_location("parsenet", f"{facexlib}/facexlib/parsing/parsenet.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    net = mod.ParseNet(in_size=512, out_size=512, parsing_ch=19)
    sd = net.state_dict()
    net.load_state_dict({k: procedural(k, list(v.shape)) for k, v in sd.items()}, strict=True)
    net.eval()
    g = torch.Generator().manual_seed(8)
    x = torch.rand(1, 3, 64, 64, generator=g) * 2 - 1
    with torch.no_grad():
        mask, img = net(x)
    schema = {k: list(v.shape) for k, v in sd.items()}
    write_safetensors(out, {"in.face": x, "out.mask": mask, "out.img": img},
                      {"salt": "", "config": "ParseNet(in_size=512, out_size=512, parsing_ch=19), eval",
                       "schema": json.dumps(schema)})
    print("wrote", out, len(schema), "keys; mask range", float(mask.min()), float(mask.max()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
