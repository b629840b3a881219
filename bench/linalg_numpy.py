"""numpy/LAPACK baseline for bench/linalg.bench.ts.

Usage: python3 linalg_numpy.py N [N ...]
Times numpy.linalg.svd(full_matrices=False), the @ matmul and numpy.linalg.qr on random complex128
N×N matrices (warm-up, then the median of repeats — the same protocol as the TypeScript side) and
prints one JSON object. Thread count is whatever the caller's environment says (the bench pins 1).
"""
import json
import sys
import time

import numpy as np


def timed(fn, min_reps=5, min_seconds=0.3, max_reps=200):
    w0 = time.perf_counter()
    for i in range(50):  # same warm-up rule as the TypeScript side: >= 5 calls and >= 250 ms
        if i >= 5 and time.perf_counter() - w0 >= 0.25:
            break
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < max_reps and (len(times) < min_reps or time.perf_counter() - start < min_seconds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    mid = len(times) // 2
    return times[mid] if len(times) % 2 else 0.5 * (times[mid - 1] + times[mid])


def blas_info():
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg["Build Dependencies"]["blas"]
        return f"{blas.get('name', '?')} {blas.get('version', '?')}"
    except Exception:  # older numpy: no dict mode
        return "unknown BLAS"


def main():
    sizes = [int(a) for a in sys.argv[1:]]
    rng = np.random.default_rng(1234)
    out = {"numpy": np.__version__, "blas": blas_info(), "svd": {}, "matmul": {}, "qr": {}}
    for n in sizes:
        a = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
        b = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
        out["svd"][n] = timed(lambda: np.linalg.svd(a, full_matrices=False))
        out["matmul"][n] = timed(lambda: a @ b)
        out["qr"][n] = timed(lambda: np.linalg.qr(a))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
