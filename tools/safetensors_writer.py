"""Writes float32 tensors in the safetensors layout by hand (no safetensors package needed).

Shared by the fixture and golden-vector scripts in this folder; import it from a script run as
/usr/bin/python3 tools/<script>.py (the script's folder is on sys.path).
"""
import json
import struct


def write_safetensors(path, tensors, metadata=None):
    """Every tensor as contiguous little-endian float32; metadata (str -> str) goes in __metadata__."""
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for k, t in tensors.items():
        data = t.detach().float().contiguous().numpy().astype("<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
