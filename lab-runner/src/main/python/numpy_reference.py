"""The training benchmark's yardstick: the study's MLP trained by plain numpy on the same images.

Same mathematics as the project's trainers: bias-free ReLU layers, softmax cross-entropy, Xavier-uniform
initialisation, Adam (lr, beta1 0.9, beta2 0.999, epsilon 1e-8, DL4J's bias correction), per-epoch shuffle.
Used only by bin/benchmark-training for the ratio measured in one run; not part of the product.
Threads: set OPENBLAS_NUM_THREADS / OMP_NUM_THREADS before starting python (the benchmark does).

    python3 numpy_reference.py --data data/mnist --hidden 1000,1000,500,200 --epochs 1 --limit 0 --seed 42
prints one JSON object: seconds per epoch, test accuracy and loss after the last epoch.
"""
import argparse
import json
import os
import time

import numpy as np


def idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data, split):
    x = idx(os.path.join(data, f"{split}-images-idx3-ubyte"))
    y = idx(os.path.join(data, f"{split}-labels-idx1-ubyte"))
    return (x.reshape(len(x), -1).astype(np.float32) / 255.0), y.astype(np.int64)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--hidden", default="1000,1000,500,200")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()

    x, y = load(a.data, "train")
    tx, ty = load(a.data, "t10k")
    if a.limit > 0:
        x, y = x[:a.limit], y[:a.limit]
    sizes = [x.shape[1]] + [int(h) for h in a.hidden.split(",")] + [10]
    rng = np.random.default_rng(a.seed)
    w = [rng.uniform(-1, 1, (i, o)).astype(np.float32) * np.float32(np.sqrt(6.0 / (i + o)))
         for i, o in zip(sizes[:-1], sizes[1:])]
    m = [np.zeros_like(t) for t in w]
    v = [np.zeros_like(t) for t in w]
    b1, b2, eps = 0.9, 0.999, 1e-8
    step = 0
    seconds = []
    for _ in range(a.epochs):
        start = time.perf_counter()
        order = rng.permutation(len(x))
        for s in range(0, len(x), a.batch):
            idxs = order[s:s + a.batch]
            acts = [x[idxs]]
            for k, wk in enumerate(w):
                z = acts[-1] @ wk
                acts.append(np.maximum(z, 0) if k < len(w) - 1 else z)
            z = acts[-1]
            e = np.exp(z - z.max(axis=1, keepdims=True))
            prob = e / e.sum(axis=1, keepdims=True)
            prob[np.arange(len(idxs)), y[idxs]] -= 1
            dz = prob / np.float32(len(idxs))
            step += 1
            alpha = a.lr * np.sqrt(1 - b2 ** step) / (1 - b1 ** step)
            for k in range(len(w) - 1, -1, -1):
                g = acts[k].T @ dz
                if k > 0:
                    dz = (dz @ w[k].T) * (acts[k] > 0)
                m[k] *= b1
                m[k] += (1 - b1) * g
                v[k] *= b2
                v[k] += (1 - b2) * (g * g)
                w[k] -= np.float32(alpha) * m[k] / (np.sqrt(v[k]) + np.float32(eps))
        seconds.append(time.perf_counter() - start)
    h = tx
    for k, wk in enumerate(w):
        h = h @ wk
        if k < len(w) - 1:
            h = np.maximum(h, 0)
    e = np.exp(h - h.max(axis=1, keepdims=True))
    prob = e / e.sum(axis=1, keepdims=True)
    loss = float(-np.mean(np.log(np.maximum(prob[np.arange(len(ty)), ty], 1e-7))))
    acc = float(np.mean(prob.argmax(axis=1) == ty))
    print(json.dumps({"engine": "numpy", "numpy": np.__version__, "examples": len(x), "epochs": a.epochs,
                      "secondsPerEpoch": sum(seconds) / len(seconds), "accuracy": acc, "loss": loss}))


if __name__ == "__main__":
    main()
