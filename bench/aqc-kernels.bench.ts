// The AQC objective at compile scale: one evaluate() (forward + backward MPS sweeps, layer
// environments, gradient of every parameter) for
//   - a 50-qubit XXZ chain with random couplings, t = 0.2, the 1-step second-order ansatz
//     (3 brick layers, 74 blocks, 766 parameters), target bond ≈ 8, working bond 64 — the goal is
//     ≤ 8 ms per evaluation (the optimiser needs ~50–100 of them);
//   - examples/heisenberg-100.qham (t = 0.5, bond 32) with the 1- and 2-step ansatz, working bond 32
//     as compile-aqc uses (max of the file's bond and the target's), χ 16–32.
// and the dense kernels underneath at the sizes they run at (csvd/cqr of n×n, n = 2χ ≤ 64).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, type BenchReport } from './harness';
import { analyze } from '../server/src/lang/analyze';
import { computeTarget } from '../server/src/engine/compile/target';
import { trotterStart } from '../server/src/engine/aqc/ansatz';
import { evaluate } from '../server/src/engine/aqc/objective';
import { chainHamiltonian } from '../server/src/engine/tebd';
import { type Mps, maxBondDimension } from '../server/src/engine/mps';
import { type CMatrix, cqr, csvd, csvdRank } from '../server/src/engine/linalg';
import type { EvolveBlock } from '../server/src/model/program';
import { rng, randomCMatrix } from '../test/helpers/random';

interface Timing { median: number; min: number; cpu: number }

/**
 * Wall time per call (median and min over timed batches) after a warm-up, and CPU time per call
 * (user + system of this process), which is the steadier number on a shared machine.
 */
function timeCalls(fn: () => void, opts: { warm: number; batch: number; batches: number }): Timing {
  for (let i = 0; i < opts.warm; i++) fn();
  const times: number[] = [];
  let cpuBest = Infinity;
  for (let b = 0; b < opts.batches; b++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < opts.batch; i++) fn();
    const wall = (performance.now() - t0) / opts.batch;
    const c = process.cpuUsage(c0);
    times.push(wall);
    cpuBest = Math.min(cpuBest, (c.user + c.system) / 1000 / opts.batch);
  }
  return { median: median(times), min: Math.min(...times), cpu: cpuBest };
}

function xxz50(): EvolveBlock {
  let s = 7;
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const J = Array.from({ length: 49 }, () => 0.5 + rnd());
  const src = `qubits 50\nparam J = [${J.join(', ')}]\nhamiltonian H {\n  sum i in 0..n-2 { J[i]/2 * (X[i] X[i+1] + Y[i] Y[i+1]) + J[i] * Z[i] Z[i+1] }\n}\nstate s = neel\nevolve s under H for 0.2 {\n  layers = 1\n  target_steps = 32\n}\n`;
  return analyze(src).program.evolves[0];
}

function heisenberg100(): EvolveBlock {
  const file = join(__dirname, '..', 'examples', 'heisenberg-100.qham');
  return analyze(readFileSync(file, 'utf8')).program.evolves[0];
}

async function objective(): Promise<BenchReport> {
  const rows: Array<Array<string | number>> = [];
  const data: unknown[] = [];
  const cases: Array<{ name: string; block: () => EvolveBlock; steps: number[]; maxBond: (t: Mps) => number; batch: number }> = [
    { name: 'XXZ 50q, random J, t = 0.2', block: xxz50, steps: [1], maxBond: () => 64, batch: 20 },
    { name: 'heisenberg-100, t = 0.5', block: heisenberg100, steps: [1, 2], maxBond: (t) => Math.max(32, maxBondDimension(t)), batch: 2 },
  ];
  for (const c of cases) {
    const b = c.block();
    const t0 = performance.now();
    const target = computeTarget(b);
    const targetSeconds = (performance.now() - t0) / 1000;
    const chain = chainHamiltonian(b.hamiltonian.sum);
    for (const steps of c.steps) {
      const { ansatz, params } = trotterStart(chain, b.state.labels, b.time, steps, 2);
      const maxBond = c.maxBond(target.mps);
      let fidelity = 0;
      const t = timeCalls(() => { fidelity = evaluate(ansatz, target.mps, params, { maxBond }).fidelity; }, { warm: Math.max(3, c.batch), batch: c.batch, batches: 7 });
      const blocks = ansatz.layers.reduce((s, l) => s + l.length, 0);
      rows.push([c.name, ansatz.n, steps, ansatz.layers.length, blocks, ansatz.parameters, maxBondDimension(target.mps), maxBond, t.median, t.min, t.cpu, fidelity]);
      data.push({ case: c.name, qubits: ansatz.n, steps, timing: t, fidelity, targetSeconds, targetSteps: target.steps });
    }
  }
  return {
    name: 'aqc-kernels',
    title: 'AQC objective: one evaluate() = F(θ) and ∂F/∂θ (forward + backward sweeps, layer environments)',
    columns: ['case', 'qubits', 'steps', 'brick layers', 'blocks', 'params', 'target χ', 'maxBond', 'ms median', 'ms min', 'cpu ms', 'F at Trotter start'],
    rows,
    notes: [
      'goal: ≤ 8 ms per evaluation for the 50-qubit case (the whole compile in ≤ 2 s needs ~50–100).',
      'before this work (linalg/, mps/ and aqc/{objective,environments}.ts of commit 7520ebb, same machine, cpu ms): 50q ≈ 20.7; 100q steps 1 ≈ 440–480, steps 2 ≈ 910 (≈ 25 ms wall for 50q in the original profile).',
      'cpu ms = best batch of user+system time of this process per call; on a shared machine wall time can be several times larger (other processes on the 2 cores), cpu is the comparable number.',
    ],
    data,
  };
}

function square(n: number, seed: number): CMatrix {
  return randomCMatrix(n, n, rng(seed));
}

async function dense(): Promise<BenchReport> {
  const rows: Array<Array<string | number>> = [];
  for (const n of [8, 16, 32, 64]) {
    const A = square(n, n);
    const batch = Math.max(5, Math.round(40000 / (n * n * n / 64)));
    const opts = { warm: 3 * batch, batch, batches: 7 };
    const svd = timeCalls(() => { csvd(A); }, opts);
    const half = timeCalls(() => { csvdRank(A, () => n >> 1, false, 'U'); }, opts);
    const qr = timeCalls(() => { cqr(A); }, opts);
    const us = (t: Timing) => 1000 * t.median;
    rows.push([n, us(svd), us(half), us(qr), 1000 * svd.cpu, 1000 * qr.cpu]);
  }
  return {
    name: 'aqc-kernels-dense',
    title: 'Dense kernels at MPS sizes (random complex n×n): µs per call',
    columns: ['n', 'csvd µs', 'csvdRank(n/2, U only) µs', 'cqr µs', 'csvd cpu µs', 'cqr cpu µs'],
    rows,
    notes: [
      'n ≤ 64 runs the compact path: unblocked Householder bidiagonalisation / QR in reused scratch, bdsqr, back-transformation of the kept vectors only.',
      'csvdRank(n/2, U only) is what a truncating two-site split costs: the other factor comes from one gemm with θ.',
      'before this work (same machine, cpu µs): csvd 17 / 68 / 289 / 1880 and cqr 6.3 / 22 / 90 / 750 at n = 8 / 16 / 32 / 64.',
    ],
  };
}

export async function run(): Promise<BenchReport[]> {
  return [await dense(), await objective()];
}
