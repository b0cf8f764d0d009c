#!/usr/bin/env python3
# Makes the embedded fashion-mnist-small (src/main/resources/dev/tauon/data/fashion-mnist-small/)
# from the real Fashion-MNIST: per class the first 600 train / 100 test images in file order,
# interleaved round-robin (class 0's first, class 1's first, ...). Gzip with mtime=0 and no file
# name, so the same zlib gives the same bytes; MANIFEST.json records the hashes and the indices.
# Usage: scripts/make-fashion-mnist-small.py [--src DIR] [--out DIR]   (standard library only)
import argparse
import gzip
import hashlib
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SRC = "/usr/share/datasets/fashion-mnist"
DEFAULT_OUT = os.path.join(HERE, "..", "src", "main", "resources", "dev", "tauon", "data", "fashion-mnist-small")
SPLITS = [("train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 600),
          ("test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 100)]
CLASSES = 10
LICENCE = "Fashion-MNIST, MIT License, Copyright (c) 2017 Zalando SE (https://github.com/zalandoresearch/fashion-mnist); see LICENSE-fashion-mnist.txt"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def read_source(src, stem):
    """The file's bytes as stored (plain or .gz) and its IDX content after gunzip."""
    for name in (stem, stem + ".gz"):
        path = os.path.join(src, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                stored = f.read()
            return name, stored, gzip.decompress(stored) if stored[:2] == b"\x1f\x8b" else stored
    sys.exit(f"make-fashion-mnist-small: {src} lacks {stem}[.gz]")


def parse_idx(name, raw, rank):
    magic = struct.unpack(">I", raw[:4])[0]
    if magic != 0x800 | rank:
        sys.exit(f"make-fashion-mnist-small: {name}: magic 0x{magic:08X}, expected 0x{0x800 | rank:08X}")
    dims = struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank])
    return dims, raw[4 + 4 * rank:]


def choose(labels, per_class):
    """Source indices: per class the first per_class in file order, then round-robin over classes."""
    by_class = [[] for _ in range(CLASSES)]
    for i, y in enumerate(labels):
        if len(by_class[y]) < per_class:
            by_class[y].append(i)
    for c, idx in enumerate(by_class):
        if len(idx) < per_class:
            sys.exit(f"make-fashion-mnist-small: class {c} has only {len(idx)} samples, need {per_class}")
    return [by_class[c][r] for r in range(per_class) for c in range(CLASSES)]


def main():
    ap = argparse.ArgumentParser(description="Makes the embedded fashion-mnist-small subset of Fashion-MNIST.")
    ap.add_argument("--src", default=DEFAULT_SRC, help="directory with the four Fashion-MNIST IDX files")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = {"dataset": "fashion-mnist-small", "licence": LICENCE, "source": {}, "indices": {}, "files": {}}
    for split, images_stem, labels_stem, per_class in SPLITS:
        img_name, img_stored, img_raw = read_source(args.src, images_stem)
        lab_name, lab_stored, lab_raw = read_source(args.src, labels_stem)
        manifest["source"][img_name] = sha256(img_stored)
        manifest["source"][lab_name] = sha256(lab_stored)
        (n, rows, cols), pixels = parse_idx(img_name, img_raw, 3)
        (n_labels,), labels = parse_idx(lab_name, lab_raw, 1)
        if n != n_labels:
            sys.exit(f"make-fashion-mnist-small: {img_name} has {n} images but {lab_name} has {n_labels} labels")
        chosen = choose(labels, per_class)
        size = rows * cols
        out_images = struct.pack(">IIII", 0x803, len(chosen), rows, cols) + b"".join(pixels[i * size:(i + 1) * size] for i in chosen)
        out_labels = struct.pack(">II", 0x801, len(chosen)) + bytes(labels[i] for i in chosen)
        for stem, raw in ((images_stem, out_images), (labels_stem, out_labels)):
            packed = gzip.compress(raw, compresslevel=9, mtime=0)
            with open(os.path.join(args.out, stem + ".gz"), "wb") as f:
                f.write(packed)
            manifest["files"][stem + ".gz"] = {"sha256": sha256(packed), "sha256_after_gunzip": sha256(raw)}
        manifest["indices"][split] = chosen
    with open(os.path.join(args.out, "MANIFEST.json"), "w") as f:
        f.write(dumps(manifest))
    print(f"make-fashion-mnist-small: wrote {args.out}")


def dumps(manifest):
    """Indented JSON with each index list on one line (7,000 numbers would be 7,000 lines otherwise)."""
    lists = manifest.pop("indices")
    text = json.dumps(manifest, indent=2)
    body = ",\n".join(f'    "{k}": {json.dumps(v, separators=(",", ":"))}' for k, v in lists.items())
    manifest["indices"] = lists
    return text[:-2] + ',\n  "indices": {\n' + body + "\n  }\n}\n"


if __name__ == "__main__":
    main()
