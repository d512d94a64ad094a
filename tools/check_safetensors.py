#!/usr/bin/python3
"""Loads a run's model.safetensors into PyTorch, as a user would, to confirm the file is readable.

    /usr/bin/python3 tools/check_safetensors.py runs/NAME/model.safetensors

Uses `safetensors.torch.load_file` when the safetensors package is installed, else a plain
reader of the format (8-byte little-endian header length, JSON header, raw data) with
torch.frombuffer. Prints each tensor's name, shape and first values, and loads every linear
layer's weight and bias into a torch.nn.Linear of the shape the file gives (out x in), which
fails if the layout were not PyTorch's. Run by hand; the C++ test suite checks the bytes.
"""
import json
import struct
import sys

import torch


def load(path):
    try:
        from safetensors.torch import load_file
        return load_file(path), None
    except ImportError:
        pass
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    metadata = header.pop("__metadata__", None)
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", info
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32)
        tensors[name] = t.reshape(info["shape"])
    return tensors, metadata


def main():
    tensors, metadata = load(sys.argv[1])
    if metadata:
        print("metadata", metadata)
    for name, t in sorted(tensors.items()):
        print(f"{name:24s} {tuple(t.shape)}  {t.flatten()[:4].tolist()}")
    for name, w in tensors.items():
        if name.endswith(".weight") and w.dim() == 2 and name[:-7] + ".bias" in tensors:
            layer = torch.nn.Linear(w.shape[1], w.shape[0])
            layer.load_state_dict({"weight": w, "bias": tensors[name[:-7] + ".bias"]})
            print(f"{name[:-7]}: loaded into nn.Linear({w.shape[1]}, {w.shape[0]})")


if __name__ == "__main__":
    main()
