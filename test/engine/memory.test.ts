// The compile memory estimate (engine/compile/memory.ts): values for a few blocks, monotone in the
// register size, the bond and the depth, and the refusal message the server (QH703) and the CLI show.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../server/src/cli/main';
import {
  DEFAULT_MAX_COMPILE_MEMORY_MB, MAX_AUTO_LAYERS, type MemoryBlock, brickLayers, compileMemory, compileTooLargeMessage,
  estimateCompileBytes, exceedsLimit, formatBytes, mpsBytes,
} from '../../server/src/engine/compile/memory';
import { analyze } from '../../server/src/lang/analyze';
import { DEFAULT_SETTINGS } from '../../server/src/protocol';

const MB = 2 ** 20;

function block(n: number, o: Partial<MemoryBlock['options']> = {}): MemoryBlock {
  return { hamiltonian: { sum: { qubits: n } }, options: { method: 'aqc', bond: 64, layers: 'auto', order: 2, ...o } };
}

/** The formula of the brief, for chains long enough that no bond is capped by 2^k. */
const uncapped = (n: number, bond: number, bricks: number) => n * bond ** 2 * (bricks + 2) * 2 * 32 + n * bond ** 2 * 32;

describe('estimateCompileBytes', () => {
  it('an MPS costs 32 bytes per χ_left·χ_right; bonds near the ends are capped at 2^k', () => {
    assert.equal(mpsBytes(1, 64), 32);
    // n = 4, bond ≥ 4: bonds 1-2-4-2-1 → 2 + 8 + 8 + 2 = 20 elements.
    assert.equal(mpsBytes(4, 64), 20 * 32);
    // Capped by the bond option: 1-2-2-2-1.
    assert.equal(mpsBytes(4, 2), (2 + 4 + 4 + 2) * 32);
    // A long chain is ≈ n·bond²·32 (only the ends are smaller).
    const long = mpsBytes(1000, 64);
    assert.ok(long < 1000 * 64 * 64 * 32 && long > 0.98 * 1000 * 64 * 64 * 32, String(long));
  });

  it('brick layers: 2·layers + 1 at order 2, 2·layers at order 1; auto counts the deepest depth', () => {
    assert.equal(brickLayers(3, 2), 7);
    assert.equal(brickLayers(3, 1), 6);
    assert.equal(MAX_AUTO_LAYERS, 12);
    assert.equal(compileMemory(block(100, { layers: 'auto' })).brickLayers, 25);
    assert.equal(compileMemory(block(100, { layers: 'auto', order: 1 })).brickLayers, 24);
    assert.equal(compileMemory(block(100, { layers: 4 })).brickLayers, 9);
  });

  it('values: aqc = (brick layers + 2) · 2 states + target; trotter = target + one state', () => {
    // 8 qubits, bond 64 (never reached: bonds 1-2-4-8-16-8-4-2-1), layers 1, order 2: 3 brick layers.
    const small = (2 + 8 + 32 + 128 + 128 + 32 + 8 + 2) * 32;
    assert.equal(mpsBytes(8, 64), small);
    assert.equal(estimateCompileBytes(block(8, { layers: 1 })), (3 + 2) * 2 * small + small);
    assert.equal(estimateCompileBytes(block(8, { layers: 1, method: 'trotter' })), 2 * small);
    // Long chains: the brief's formula within the capped ends.
    for (const [n, bond, layers] of [[100, 32, 'auto'], [100, 256, 'auto'], [1000, 1024, 'auto'], [500, 128, 3]] as const) {
      const got = estimateCompileBytes(block(n, { bond, layers }));
      const want = uncapped(n, bond, layers === 'auto' ? 25 : 7);
      assert.ok(got <= want && got > 0.8 * want, `n ${n} bond ${bond} layers ${layers}: ${got} vs ${want}`);
    }
    assert.equal(estimateCompileBytes(block(100, { bond: 32 })), 164_602_240);
    assert.equal(estimateCompileBytes(block(1000, { bond: 1024 })), 1_811_044_540_800);
    assert.equal(estimateCompileBytes(block(1000, { bond: 1024, method: 'trotter' })), 65_856_165_120);
  });

  it('is monotone in n, bond and layers', () => {
    const ns = [1, 2, 3, 4, 8, 12, 20, 21, 50, 100, 101, 500, 1024];
    const bonds = [2, 3, 8, 32, 64, 100, 256, 1024];
    const layers = [1, 2, 3, 5, 8, 12, 20];
    for (const method of ['aqc', 'trotter'] as const) {
      for (const bond of bonds) {
        for (let i = 1; i < ns.length; i++) {
          const a = estimateCompileBytes(block(ns[i - 1], { bond, method })), b = estimateCompileBytes(block(ns[i], { bond, method }));
          assert.ok(b > a, `${method} bond ${bond}: n ${ns[i - 1]} → ${ns[i]}: ${a} → ${b}`);
        }
      }
      for (const n of ns) {
        for (let i = 1; i < bonds.length; i++) {
          const a = estimateCompileBytes(block(n, { bond: bonds[i - 1], method })), b = estimateCompileBytes(block(n, { bond: bonds[i], method }));
          assert.ok(b >= a, `${method} n ${n}: bond ${bonds[i - 1]} → ${bonds[i]}: ${a} → ${b}`);
        }
        // Strictly once the bond is not capped by the chain length.
        assert.ok(estimateCompileBytes(block(n, { bond: 1024, method })) > estimateCompileBytes(block(n, { bond: 2, method })) || n <= 3);
      }
    }
    for (const n of [4, 20, 100]) {
      for (const order of [1, 2] as const) {
        for (let i = 1; i < layers.length; i++) {
          const a = estimateCompileBytes(block(n, { layers: layers[i - 1], order })), b = estimateCompileBytes(block(n, { layers: layers[i], order }));
          assert.ok(b > a, `n ${n} order ${order}: layers ${layers[i - 1]} → ${layers[i]}`);
        }
        // auto = the deepest auto may try.
        assert.equal(estimateCompileBytes(block(n, { layers: 'auto', order })), estimateCompileBytes(block(n, { layers: MAX_AUTO_LAYERS, order })));
      }
      assert.ok(estimateCompileBytes(block(n, { layers: 3, order: 2 })) > estimateCompileBytes(block(n, { layers: 3, order: 1 })));
    }
  });

  it('takes a real block from the analyser (n from the register)', () => {
    const text = 'qubits 100\nhamiltonian H { sum i in 0..n-2 { X[i] X[i+1] + Z[i] Z[i+1] } }\nstate s = neel\nevolve s under H for 1.0 as big {\n  bond = 256\n}\n';
    const [b] = analyze(text).program.evolves;
    assert.ok(b, 'the block analyses');
    assert.equal(estimateCompileBytes(b), estimateCompileBytes(block(100, { bond: 256 })));
  });

  it('the refusal message names the numbers, the limit and where it comes from', () => {
    assert.equal(DEFAULT_SETTINGS.maxCompileMemoryMB, DEFAULT_MAX_COMPILE_MEMORY_MB, 'the server and the CLI share the default');
    const m = compileMemory(block(1000, { bond: 1024 }));
    assert.ok(exceedsLimit(m.bytes, 4096));
    assert.ok(!exceedsLimit(4096 * MB, 4096));
    assert.ok(exceedsLimit(4096 * MB + 1, 4096));
    assert.equal(compileTooLargeMessage(m, 4096, 'qham.maxCompileMemoryMB'),
      'the compile needs about 1.6 TB (n = 1000, bond = 1024, up to 25 brick layers); the limit is 4096 MB (qham.maxCompileMemoryMB); lower bond or layers');
    assert.equal(compileTooLargeMessage(compileMemory(block(100, { bond: 256, layers: 2 })), 1024, '--max-memory MB'),
      `the compile needs about ${formatBytes(estimateCompileBytes(block(100, { bond: 256, layers: 2 })))} (n = 100, bond = 256, 5 brick layers); the limit is 1024 MB (--max-memory MB); lower bond or layers`);
    assert.match(compileTooLargeMessage(compileMemory(block(1000, { bond: 1024, method: 'trotter' })), 4096, 'x'), /\(n = 1000, bond = 1024, trotter\); the limit is 4096 MB \(x\); lower bond$/);
  });

  it('formatBytes: binary units, two significant digits below 100', () => {
    assert.equal(formatBytes(512), '512 bytes');
    assert.equal(formatBytes(117 * 1024), '117 KB');
    assert.equal(formatBytes(9.6 * 2 ** 30), '9.6 GB');
    assert.equal(formatBytes(4096 * MB), '4 GB');
    assert.equal(formatBytes(1.5 * 2 ** 40), '1.5 TB');
  });
});

describe('qham compile refuses a block over the memory limit', () => {
  const program = (n: number, opts: string[]) => [
    `qubits ${n}`,
    'hamiltonian H { sum i in 0..n-2 { X[i] X[i+1] + Y[i] Y[i+1] + Z[i] Z[i+1] } }',
    'state s = neel',
    'evolve s under H for 0.5 as b {',
    ...opts.map((o) => `  ${o}`),
    '}',
    '',
  ].join('\n');
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, (x) => out.push(x), (x) => err.push(x));
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('exit 1 with the numbers before any work; --max-memory sets the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qham-memory-cli-'));
    try {
      const big = join(dir, 'big.qham');
      writeFileSync(big, program(100, ['bond = 256']));
      const refused = await run(['compile', big, '--quiet']);
      assert.equal(refused.code, 1, refused.err);
      assert.equal(refused.out, '', 'no result table: nothing compiled');
      assert.match(refused.err, /block b: the compile needs about 9\.2 GB \(n = 100, bond = 256, up to 25 brick layers\); the limit is 4096 MB \(--max-memory MB\); lower bond or layers/);
      assert.match(refused.err, /1 block too large; nothing compiled/);

      // A small block: compiled under the default limit, refused under --max-memory 1.
      const small = join(dir, 'small.qham');
      writeFileSync(small, program(12, ['layers = 1', 'maxiter = 10', 'fidelity = 0.5']));
      const low = await run(['compile', small, '--quiet', '--max-memory', '1']);
      assert.equal(low.code, 1, low.err);
      assert.match(low.err, /needs about 1\.8 MB \(n = 12, bond = 64, 3 brick layers\); the limit is 1 MB/);
      const ok = await run(['compile', small, '--quiet', '--max-memory=64']);
      assert.equal(ok.code, 0, ok.err);
      assert.match(ok.out, /goal reached/);

      const bad = await run(['compile', small, '--max-memory', 'lots']);
      assert.equal(bad.code, 3);
      assert.match(bad.err, /--max-memory takes a whole number of MB/);
      assert.match((await run(['help'])).out, /--max-memory MB/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
