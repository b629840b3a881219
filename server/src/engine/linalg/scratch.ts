// Reusable scratch buffers for the small-matrix kernels.
//
// At MPS sizes (matrices of a few hundred entries) allocating a Float64Array costs more than the
// arithmetic done with it: V8 keeps typed arrays above 64 bytes off-heap, so each one is a calloc
// plus an ArrayBuffer extension the GC has to sweep (~0.4–1.5 µs, measured). Kernels therefore keep
// their temporaries in module-level buffers that only ever grow.
//
// Rules for users: a buffer's contents are stale on return (write before reading), it may be
// longer than asked for, and a slot must not be held across a call that can use the same slot
// (each module owns its own Scratch instance; none of the users recurse into themselves).

/** Above this many doubles a request is served by a fresh array and not retained (512 KiB). */
const RETAIN_MAX = 1 << 16;

export class Scratch {
  private readonly bufs: Float64Array[] = [];

  /** A buffer of at least n doubles for `slot` (contents unspecified). */
  get(slot: number, n: number): Float64Array {
    const b = this.bufs[slot];
    if (b !== undefined && b.length >= n) return b;
    if (n > RETAIN_MAX) return new Float64Array(n);
    const fresh = new Float64Array(Math.min(RETAIN_MAX, Math.max(n, 64, b === undefined ? 0 : 2 * b.length)));
    this.bufs[slot] = fresh;
    return fresh;
  }
}

/**
 * A fresh complex buffer pair of length n sharing one allocation (re = first half, im = second):
 * half the allocation cost of two arrays, for results that outlive the call.
 */
export function allocPair(n: number): { re: Float64Array; im: Float64Array } {
  const buf = new Float64Array(2 * n);
  return { re: buf.subarray(0, n), im: buf.subarray(n, 2 * n) };
}
