// Dense complex kernels at MPS sizes: for bond dimension χ the two-site SVD is (2χ)×(2χ).
// Measures csvd, cmatmul and cqr on random (2χ)×(2χ) complex matrices, and the same operations in
// numpy (single-threaded LAPACK/BLAS) as a baseline when python3 + numpy are available.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type BenchReport, timeIt } from './harness';
import { cmatmul, cqr, csvd, type CMatrix } from '../server/src/engine/linalg';
import { rng, randomCMatrix } from '../test/helpers/random';

const BONDS = [16, 32, 64, 128];
type Op = 'svd' | 'matmul' | 'qr';
const OPS: Op[] = ['svd', 'matmul', 'qr'];

interface NumpyResult { numpy: string; blas: string; svd: Record<string, number>; matmul: Record<string, number>; qr: Record<string, number> }


function runOp(op: Op, A: CMatrix, B: CMatrix): void {
  if (op === 'svd') csvd(A);
  else if (op === 'matmul') cmatmul(A, B);
  else cqr(A);
}

/** numpy baseline in a child process pinned to one thread (one core vs one core). */
function numpyBaseline(sizes: number[]): { result: NumpyResult | null; why: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  // Machine-level overrides would pin OpenBLAS to a different kernel set than it would pick itself.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const probe = spawnSync('python3', ['-c', 'import numpy'], { env, encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { result: null, why: 'python3 with numpy not available' };
  const script = join(__dirname, 'linalg_numpy.py');
  const r = spawnSync('python3', [script, ...sizes.map(String)], { env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return { result: null, why: `numpy baseline failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}` };
  try {
    return { result: JSON.parse(r.stdout) as NumpyResult, why: '' };
  } catch {
    return { result: null, why: 'numpy baseline printed unparsable output' };
  }
}

export async function run(): Promise<BenchReport[]> {
  const sizes = BONDS.map((c) => 2 * c);
  const ours: Record<Op, Record<number, number>> = { svd: {}, matmul: {}, qr: {} };
  const r = rng(2024);
  for (const n of sizes) {
    const A = randomCMatrix(n, n, r), B = randomCMatrix(n, n, r);
    for (const op of OPS) ours[op][n] = timeIt(() => runOp(op, A, B));
  }
  const { result: np, why } = numpyBaseline(sizes);

  const rows: Array<Array<string | number>> = [];
  for (const chi of BONDS) {
    const n = 2 * chi;
    for (const op of OPS) {
      const t = ours[op][n];
      const tn = np ? np[op][String(n)] : undefined;
      const gf = (ms: number): number => (8 * n ** 3) / (ms * 1e6); // complex matmul: 8n³ real flops
      rows.push([
        chi, op, `${n}×${n}`, t,
        tn !== undefined ? tn : 'n/a',
        tn !== undefined ? `${(t / tn).toFixed(1)}×` : 'n/a',
        op === 'matmul' ? gf(t) : '',
        op === 'matmul' && tn !== undefined ? gf(tn) : '',
      ]);
    }
  }

  const notes: string[] = [];
  if (np) {
    notes.push(`baseline: numpy ${np.numpy} (${np.blas}), single-threaded LAPACK/BLAS (OPENBLAS/OMP/MKL_NUM_THREADS=1, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset); ours is single-threaded JS`);
    const worst = Math.max(...BONDS.filter((c) => c >= 64).map((c) => ours.svd[2 * c] / np.svd[String(2 * c)]));
    notes.push(`goal "SVD within 3× of LAPACK at bond ≥ 64": ${worst <= 3 ? 'met' : 'NOT met'} (worst ratio ${worst.toFixed(1)}×)`);
  } else {
    notes.push(`no numpy baseline: ${why}`);
  }
  notes.push('times are medians (ms) after JIT warm-up (≥5 calls and ≥250 ms); svd = thin U·S·Vh, qr = thin Q and R, matmul = C = A·B');

  return [{
    name: 'linalg',
    title: 'Complex dense kernels at MPS sizes (2χ × 2χ, complex128)',
    columns: ['χ', 'op', 'shape', 'ours ms', 'numpy ms', 'ours/numpy', 'ours GFLOP/s', 'numpy GFLOP/s'],
    rows,
    notes,
    data: { ours, numpy: np },
  }];
}
