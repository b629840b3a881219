// Rank selection for SVD truncation in MPS code.
//
// Definition. Given singular values s₀ ≥ s₁ ≥ … ≥ 0 with total weight W = Σᵢ sᵢ², keeping the
// first k values discards the relative weight δ(k) = Σ_{i≥k} sᵢ² / W (the squared relative
// Frobenius error of the truncated matrix). We return the SMALLEST k with
//     1 ≤ k ≤ min(maxRank, len)   and   δ(k) ≤ cutoff,
// or k = min(maxRank, len) when no such k exists (the rank cap wins; δ then reports the excess).
// cutoff = 0 keeps every nonzero value (up to maxRank). At least one value is always kept, even if
// all are zero (δ = 0 then), so downstream tensors never get a zero bond dimension.

import { Scratch } from './scratch';

const scratch = new Scratch();

export interface Truncation {
  /** Number of singular values to keep. */
  keep: number;
  /** Relative discarded weight Σ_{i≥keep} sᵢ² / Σ sᵢ² (0 when all values are zero). */
  discardedWeight: number;
}

export function truncationRank(S: ArrayLike<number>, maxRank: number = Infinity, cutoff = 0): Truncation {
  const len = S.length;
  if (len === 0) return { keep: 0, discardedWeight: 0 };
  if (!(maxRank >= 1)) throw new RangeError(`truncationRank: maxRank must be ≥ 1 (got ${maxRank})`);
  if (!(cutoff >= 0)) throw new RangeError(`truncationRank: cutoff must be ≥ 0 (got ${cutoff})`);
  const cap = Math.min(len, Math.floor(maxRank));
  // Tail sums from the small end: accurate for tiny discarded weights (no cancellation).
  const tail = scratch.get(0, len + 1);
  tail[len] = 0;
  for (let i = len - 1; i >= 0; i--) tail[i] = tail[i + 1] + S[i] * S[i];
  const total = tail[0];
  if (total === 0) return { keep: 1, discardedWeight: 0 };
  let keep = cap;
  for (let k = 1; k <= cap; k++) {
    if (tail[k] <= cutoff * total) { keep = k; break; }
  }
  return { keep, discardedWeight: tail[keep] / total };
}
