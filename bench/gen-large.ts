// Generates a large, realistic and VALID .qham file for latency benchmarks and tests.
// Deterministic: the same `lines` always gives the same text. The file has `qubits 100`, a few
// hundred params (scalars and 100-value arrays), many Hamiltonians whose lines are sums over
// 0..n-2 (and 0..n-3, 0..n-1, stepped and nested sums) with nested parentheses and Pauli
// products, states of every kind, and evolve blocks with options. Every name is used, so the
// file checks without errors, warnings or hints.

const QUBITS = 100;

/** Small seeded PRNG (mulberry32) so the file is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number with 1–3 decimals, never 0 (so no term vanishes), in [-r, r]. */
function coef(rand: () => number, r = 1): string {
  let v = 0;
  while (Math.abs(v) < 0.01) v = (rand() * 2 - 1) * r;
  return v.toFixed(1 + Math.floor(rand() * 3));
}

/** One self-contained model: params, a Hamiltonian, a state and one or two evolve blocks. */
function block(k: number, rand: () => number): string[] {
  const L: string[] = [];
  const chain = k % 3 !== 2; // two in three models are nearest-neighbour chains (aqc); the rest need trotter
  L.push('', `# ---- model ${k}: ${chain ? 'XXZ chain with a disordered field and a staggered term' : 'cluster-Ising model with three-body terms (trotter only)'} ----`);
  L.push(`param J_${k} = ${(0.5 + rand()).toFixed(3)}`);
  L.push(`param Delta_${k} = ${coef(rand)}`);
  L.push(`param g_${k} = ${(0.2 + rand()).toFixed(2)}`);
  L.push(`param t_${k} = ${(0.1 + rand() * 2).toFixed(2)}`);
  // A 100-value array over five lines (a line continues after the open `[`).
  const vals = Array.from({ length: QUBITS }, () => coef(rand, 0.5));
  for (let r = 0; r < 5; r++) {
    const chunk = vals.slice(r * 20, r * 20 + 20).join(', ');
    L.push(r === 0 ? `param hz_${k} = [${chunk},` : r === 4 ? `    ${chunk}]` : `    ${chunk},`);
  }
  L.push(`param w_${k} = sqrt(J_${k}^2 + g_${k}^2) / (1 + abs(Delta_${k}))`);
  L.push('');
  L.push(`hamiltonian H_${k} {`);
  if (chain) {
    L.push(`  # exchange, with an anisotropy and a bond alternation`);
    L.push(`  sum i in 0..n-2 { J_${k} * (X[i] X[i+1] + Y[i] Y[i+1] + Delta_${k} * Z[i] Z[i+1]) }`);
    L.push(`  sum i in 0..n-2 step 2 {`);
    L.push(`    (w_${k} / 2) * ((X[i] X[i+1]) + (Y[i] Y[i+1]) * (1 + 0.1 * cos(pi * i / n)))`);
    L.push(`    - 0.25 * ((Z[i] Z[i+1]) * (g_${k} - 0.5))`);
    L.push(`  }`);
    L.push(`  # Dzyaloshinskii–Moriya and a field`);
    L.push(`  sum i in 0..n-2 { 0.1 * J_${k} * (X[i] Y[i+1] - Y[i] X[i+1]) }`);
    L.push(`  sum i in 0..n-1 { hz_${k}[i] * Z[i] + g_${k} * ((-1)^i) * X[i] }`);
    L.push(`  sum i in 0..n-2 {`);
    L.push(`    0.01 * (min(i, n-2-i) + 1) * (Z[i] + Z[i+1])`);
    L.push(`  }`);
  } else {
    L.push(`  # cluster terms and couplings to the next neighbour`);
    L.push(`  sum i in 0..n-3 { -J_${k} * Z[i] X[i+1] Z[i+2] }`);
    L.push(`  sum i in 0..n-2 { Delta_${k} * (Y[i] Y[i+1] + 0.5 * ((Z[i] + X[i]) (Z[i+1] + X[i+1]))) }`);
    L.push(`  sum i in 0..n-3 step 3 {`);
    L.push(`    sum j in i+1..i+2 { w_${k} * 0.1 * X[i] X[j] }`);
    L.push(`  }`);
    L.push(`  sum i in 0..n-1 { hz_${k}[i] * Z[i] - g_${k} * X[i] }`);
  }
  L.push(`}`);
  L.push('');
  const state = ['neel', 'zero', 'plus', 'bits'][k % 4];
  if (state === 'bits') {
    const bits = Array.from({ length: QUBITS }, () => (rand() < 0.5 ? '0' : '1')).join('');
    L.push(`state psi_${k} = bits "${bits}"`);
  } else {
    L.push(`state psi_${k} = ${state}`);
  }
  L.push('');
  if (chain) {
    L.push(`evolve psi_${k} under H_${k} for t_${k} as run_${k} {`);
    L.push(`  method   = aqc`);
    L.push(`  layers   = ${k % 2 ? 'auto' : String(2 + (k % 5))}   # ansatz depth`);
    L.push(`  fidelity = 0.${990 + (k % 9)}`);
    L.push(`  bond     = ${[16, 32, 64][k % 3]}`);
    L.push(`  maxiter  = ${200 + 10 * (k % 30)}`);
    L.push(`  seed     = ${k}`);
    L.push(`  output   = "out/model-${k}.qasm"`);
    L.push(`}`);
  }
  L.push(`evolve psi_${k} under H_${k} for 2 * t_${k} as trot_${k} {`);
  L.push(`  method = trotter`);
  L.push(`  layers = ${4 + (k % 12)}`);
  L.push(`  order  = ${1 + (k % 2)}`);
  L.push(`}`);
  return L;
}

/**
 * A valid .qham file of exactly `lines` lines (≥ 40): a header and as many models as fit, padded
 * with comment lines at the end.
 */
export function generateLargeFile(lines: number): string {
  if (lines < 40) throw new Error('generateLargeFile: at least 40 lines');
  const rand = prng(20240611);
  const out: string[] = [
    `# Generated benchmark file (${lines} lines): independent spin-chain models on one 100-qubit register.`,
    `# Each model has its own params, Hamiltonian, initial state and compile tasks.`,
    `qubits ${QUBITS}`,
  ];
  for (let k = 0; ; k++) {
    const b = block(k, rand);
    if (out.length + b.length > lines - 1) break;
    out.push(...b);
  }
  out.push('');
  while (out.length < lines) out.push(`# padding line ${out.length + 1}`);
  return out.join('\n') + '\n';
}
