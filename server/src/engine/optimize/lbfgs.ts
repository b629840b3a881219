// Limited-memory BFGS with a line search satisfying the strong Wolfe conditions
// (Nocedal & Wright, Algorithms 7.4 and 3.5/3.6). Minimises f; callers maximising negate.

export interface Objective {
  /** f(x) and its gradient (written into `grad`). */
  (x: Float64Array, grad: Float64Array): number;
}

export interface LbfgsOptions {
  /** History length m. */
  memory?: number;
  maxIterations?: number;
  /** Stop when f ≤ this. */
  targetValue?: number;
  /** Stop when ‖g‖∞ ≤ this. */
  gradientTolerance?: number;
  /** Stop when the decrease over `stallWindow` iterations is below `stallTolerance`·max(1,|f|). */
  stallTolerance?: number;
  stallWindow?: number;
  /** Called after every iteration; return true to stop (cancellation). */
  onIteration?: (it: IterationReport) => boolean | void;
  /** Line search: sufficient decrease c1 and curvature c2. */
  c1?: number;
  c2?: number;
  maxLineSearch?: number;
}

export interface IterationReport {
  iteration: number;
  value: number;
  gradientNorm: number;
  evaluations: number;
  step: number;
}

export type StopReason = 'target' | 'maxiter' | 'stalled' | 'gradient' | 'cancelled' | 'line-search';

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  reason: StopReason;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const infNorm = (a: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]));
  return s;
};

export function lbfgs(f: Objective, x0: Float64Array, o: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const m = o.memory ?? 10;
  const maxIt = o.maxIterations ?? 500;
  const gtol = o.gradientTolerance ?? 1e-10;
  const stallTol = o.stallTolerance ?? 1e-10;
  const stallWindow = o.stallWindow ?? 5;
  const c1 = o.c1 ?? 1e-4;
  const c2 = o.c2 ?? 0.9;
  const maxLs = o.maxLineSearch ?? 20;

  let x: Float64Array = x0.slice();
  let g: Float64Array = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const history: number[] = [fx];
  const d = new Float64Array(n);
  const alpha = new Float64Array(m);
  let reason: StopReason = 'maxiter';
  let it = 0;

  if (o.targetValue !== undefined && fx <= o.targetValue) reason = 'target';
  else if (infNorm(g) <= gtol) reason = 'gradient';
  else {
    for (it = 1; it <= maxIt; it++) {
      // Two-loop recursion: d = −H·g.
      for (let i = 0; i < n; i++) d[i] = -g[i];
      const k = S.length;
      for (let j = k - 1; j >= 0; j--) {
        alpha[j] = rho[j] * dot(S[j], d);
        const y = Y[j];
        for (let i = 0; i < n; i++) d[i] -= alpha[j] * y[i];
      }
      if (k > 0) {
        const gamma = dot(S[k - 1], Y[k - 1]) / dot(Y[k - 1], Y[k - 1]);
        for (let i = 0; i < n; i++) d[i] *= gamma;
      }
      for (let j = 0; j < k; j++) {
        const beta = rho[j] * dot(Y[j], d);
        const s = S[j];
        for (let i = 0; i < n; i++) d[i] += (alpha[j] - beta) * s[i];
      }
      let dg = dot(d, g);
      if (!(dg < 0)) {
        // Not a descent direction (curvature lost): restart from steepest descent.
        S.length = Y.length = rho.length = 0;
        for (let i = 0; i < n; i++) d[i] = -g[i];
        dg = dot(d, g);
      }
      // First iteration: a step of modest length, as the scale is unknown.
      const a0 = k === 0 ? Math.min(1, 1 / Math.max(1e-12, infNorm(g))) : 1;
      const ls = wolfeSearch(f, x, fx, g, d, dg, a0, c1, c2, maxLs);
      evaluations += ls.evaluations;
      if (!ls.ok) {
        reason = 'line-search';
        if (ls.f < fx) { x = ls.x; g = ls.g; fx = ls.f; }
        break;
      }
      const s = new Float64Array(n);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) { s[i] = ls.x[i] - x[i]; y[i] = ls.g[i] - g[i]; }
      const sy = dot(s, y);
      if (sy > 1e-16 * Math.sqrt(dot(s, s) * dot(y, y))) {
        if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
        S.push(s); Y.push(y); rho.push(1 / sy);
      }
      x = ls.x; g = ls.g; fx = ls.f;
      history.push(fx);
      const gn = infNorm(g);
      const stop = o.onIteration?.({ iteration: it, value: fx, gradientNorm: gn, evaluations, step: ls.alpha });
      if (stop) { reason = 'cancelled'; break; }
      if (o.targetValue !== undefined && fx <= o.targetValue) { reason = 'target'; break; }
      if (gn <= gtol) { reason = 'gradient'; break; }
      if (history.length > stallWindow && history[history.length - 1 - stallWindow] - fx <= stallTol * Math.max(1, Math.abs(fx))) {
        reason = 'stalled';
        break;
      }
    }
    if (it > maxIt) it = maxIt;
  }
  return { x, value: fx, gradientNorm: infNorm(g), iterations: Math.min(it, maxIt), evaluations, reason };
}

interface SearchResult { ok: boolean; alpha: number; x: Float64Array; f: number; g: Float64Array; evaluations: number }

/** Strong-Wolfe line search with bracketing and zoom by cubic interpolation. */
function wolfeSearch(f: Objective, x: Float64Array, f0: number, g0: Float64Array, d: Float64Array, dg0: number, a1: number, c1: number, c2: number, maxIter: number): SearchResult {
  const n = x.length;
  let evaluations = 0;
  interface P { a: number; x: Float64Array; f: number; g: Float64Array; dg: number }
  const at = (a: number): P => {
    const xa = new Float64Array(n);
    for (let i = 0; i < n; i++) xa[i] = x[i] + a * d[i];
    const ga = new Float64Array(n);
    const fa = f(xa, ga);
    evaluations++;
    return { a, x: xa, f: fa, g: ga, dg: dot(ga, d) };
  };
  let prev: P = { a: 0, x, f: f0, g: g0, dg: dg0 };
  let best: P = prev;
  let a = a1;
  const zoom = (lo: P, hi: P): SearchResult => {
    for (let k = 0; k < maxIter; k++) {
      const t = cubicMin(lo.a, lo.f, lo.dg, hi.a, hi.f, hi.dg);
      const p = at(t);
      if (p.f < best.f) best = p;
      if (p.f > f0 + c1 * p.a * dg0 || p.f >= lo.f) hi = p;
      else {
        if (Math.abs(p.dg) <= -c2 * dg0) return { ok: true, alpha: p.a, x: p.x, f: p.f, g: p.g, evaluations };
        if (p.dg * (hi.a - lo.a) >= 0) hi = lo;
        lo = p;
      }
      if (Math.abs(hi.a - lo.a) < 1e-14 * Math.max(1, lo.a)) break;
    }
    // Accept a point with sufficient decrease if the curvature condition could not be met.
    const ok = best.a > 0 && best.f <= f0 + c1 * best.a * dg0;
    return { ok, alpha: best.a, x: best.x, f: best.f, g: best.g, evaluations };
  };
  for (let k = 0; k < maxIter; k++) {
    const p = at(a);
    if (!Number.isFinite(p.f)) { a = (prev.a + a) / 2; continue; }
    if (p.f < best.f) best = p;
    if (p.f > f0 + c1 * a * dg0 || (k > 0 && p.f >= prev.f)) return zoom(prev, p);
    if (Math.abs(p.dg) <= -c2 * dg0) return { ok: true, alpha: a, x: p.x, f: p.f, g: p.g, evaluations };
    if (p.dg >= 0) return zoom(p, prev);
    prev = p;
    a *= 2;
  }
  const ok = best.a > 0 && best.f < f0;
  return { ok, alpha: best.a, x: best.x, f: best.f, g: best.g, evaluations };
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db), kept well inside [a, b]. */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const lo = Math.min(a, b), hi = Math.max(a, b);
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - da * db;
  let t: number;
  if (disc >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    t = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
  } else t = (a + b) / 2;
  const margin = 0.1 * (hi - lo);
  if (!Number.isFinite(t) || t < lo + margin || t > hi - margin) t = (a + b) / 2;
  return t;
}
