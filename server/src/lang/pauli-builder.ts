// Exact Pauli algebra with complex coefficients, used while evaluating operator expressions.
// Terms are keyed by their Pauli string so like terms combine as they are added.
import type { PauliFactor, PauliLetter, TermOrigin } from '../model/pauli';

export interface BuilderTerm {
  factors: PauliFactor[];
  re: number;
  im: number;
  origin?: TermOrigin;
}

export type OpSum = Map<string, BuilderTerm>;

export function keyOf(factors: readonly PauliFactor[]): string {
  let k = '';
  for (const f of factors) k += f.pauli + f.qubit + ' ';
  return k;
}

export function single(qubit: number, letter: PauliLetter | 'I'): OpSum {
  const factors: PauliFactor[] = letter === 'I' ? [] : [{ qubit, pauli: letter }];
  return new Map([[keyOf(factors), { factors, re: 1, im: 0 }]]);
}

export function constant(c: number): OpSum {
  return new Map([['', { factors: [], re: c, im: 0 }]]);
}

/** acc += s·b, in place. */
export function addInto(acc: OpSum, b: OpSum, s = 1): void {
  for (const [k, t] of b) {
    const a = acc.get(k);
    if (a) {
      a.re += s * t.re;
      a.im += s * t.im;
      if (!a.origin) a.origin = t.origin;
    } else {
      acc.set(k, { factors: t.factors, re: s * t.re, im: s * t.im, origin: t.origin });
    }
  }
}

export function scaled(a: OpSum, s: number): OpSum {
  const out: OpSum = new Map();
  for (const [k, t] of a) out.set(k, { factors: t.factors, re: s * t.re, im: s * t.im, origin: t.origin });
  return out;
}

/** Product of single-qubit Paulis p·q = phase · r. Phase as a power of i (0..3). */
const LETTERS: PauliLetter[] = ['X', 'Y', 'Z'];
function mulLetters(p: PauliLetter, q: PauliLetter): { r: PauliLetter | undefined; iPow: number } {
  if (p === q) return { r: undefined, iPow: 0 };
  const a = LETTERS.indexOf(p);
  const b = LETTERS.indexOf(q);
  const r = LETTERS[3 - a - b];
  // XY = iZ, YZ = iX, ZX = iY (cyclic); the reverse order gives -i.
  return { r, iPow: (b - a + 3) % 3 === 1 ? 1 : 3 };
}

/** Product of two Pauli strings (factors sorted by qubit): the string and a power of i. */
export function mulStrings(a: readonly PauliFactor[], b: readonly PauliFactor[]): { factors: PauliFactor[]; iPow: number } {
  const out: PauliFactor[] = [];
  let iPow = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].qubit < b[j].qubit)) out.push(a[i++]);
    else if (i >= a.length || b[j].qubit < a[i].qubit) out.push(b[j++]);
    else {
      const m = mulLetters(a[i].pauli, b[j].pauli);
      iPow += m.iPow;
      if (m.r) out.push({ qubit: a[i].qubit, pauli: m.r });
      i++;
      j++;
    }
  }
  return { factors: out, iPow: iPow & 3 };
}

export function multiply(a: OpSum, b: OpSum): OpSum {
  const out: OpSum = new Map();
  for (const ta of a.values()) {
    for (const tb of b.values()) {
      const { factors, iPow } = mulStrings(ta.factors, tb.factors);
      // (ar + i ai)(br + i bi) · i^iPow
      let re = ta.re * tb.re - ta.im * tb.im;
      let im = ta.re * tb.im + ta.im * tb.re;
      for (let k = 0; k < iPow; k++) [re, im] = [-im, re];
      const key = keyOf(factors);
      const prev = out.get(key);
      if (prev) {
        prev.re += re;
        prev.im += im;
      } else {
        out.set(key, { factors, re, im, origin: ta.origin ?? tb.origin });
      }
    }
  }
  return out;
}

/** Sets `origin` on every term that has none yet (innermost source wins). */
export function stampOrigin(a: OpSum, origin: TermOrigin): void {
  for (const t of a.values()) if (!t.origin) t.origin = origin;
}
