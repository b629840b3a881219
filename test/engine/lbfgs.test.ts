import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lbfgs } from '../../server/src/engine/optimize/lbfgs';

test('L-BFGS finds the minimum of the Rosenbrock function in 2 and 20 dimensions', () => {
  for (const n of [2, 20]) {
    const f = (x: Float64Array, g: Float64Array) => {
      let s = 0;
      g.fill(0);
      for (let i = 0; i + 1 < n; i++) {
        const a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
        s += 100 * a * a + b * b;
        g[i] += -400 * x[i] * a - 2 * b;
        g[i + 1] += 200 * a;
      }
      return s;
    };
    const r = lbfgs(f, new Float64Array(n).fill(-1.2), { maxIterations: 2000, gradientTolerance: 1e-9 });
    assert.ok(r.value < 1e-12, `n=${n}: f=${r.value} after ${r.iterations} (${r.reason})`);
    for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-5);
  }
});

test('a quadratic with known optimum converges in about n iterations and reports each one', () => {
  const n = 50;
  const diag = Float64Array.from({ length: n }, (_, i) => 1 + i);
  const f = (x: Float64Array, g: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) { s += 0.5 * diag[i] * (x[i] - i) ** 2; g[i] = diag[i] * (x[i] - i); }
    return s;
  };
  const seen: number[] = [];
  const r = lbfgs(f, new Float64Array(n), { onIteration: (it) => { seen.push(it.value); }, gradientTolerance: 1e-8, stallTolerance: 0 });
  assert.equal(r.reason, 'gradient');
  assert.ok(r.iterations <= 60, String(r.iterations));
  assert.equal(seen.length, r.iterations);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] <= seen[i - 1] + 1e-15, 'monotone decrease');
  for (let i = 0; i < n; i++) assert.ok(Math.abs(r.x[i] - i) < 1e-6);
});

test('stops at the target value, at maxiter, and on cancellation', () => {
  const f = (x: Float64Array, g: Float64Array) => { g[0] = 2 * x[0]; g[1] = 20 * x[1]; return x[0] ** 2 + 10 * x[1] ** 2; };
  assert.equal(lbfgs(f, Float64Array.of(3, 3), { targetValue: 1e-3 }).reason, 'target');
  assert.equal(lbfgs(f, Float64Array.of(3, 3), { maxIterations: 1 }).reason, 'maxiter');
  const c = lbfgs(f, Float64Array.of(3, 3), { onIteration: (it) => it.iteration >= 2 });
  assert.equal(c.reason, 'cancelled');
  assert.equal(c.iterations, 2);
});
