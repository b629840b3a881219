// A compile's peak memory, estimated before it starts, so a block that cannot fit is refused with a
// clear message instead of taking its worker (or the machine) down half-way through.
//
// MPS site tensors are (χ_left × 2 × χ_right) complex numbers with split re/im Float64 parts: 32
// bytes per χ_left·χ_right. The bond of the cut after k sites cannot exceed min(bond, 2^k, 2^(n−k)),
// so a site costs at most 32·bond² bytes, and a chain about n·bond²·32 bytes (less on short chains,
// where the exact bonds are used).
//
// - aqc: the optimiser keeps, per brick layer of the ansatz, the forward and backward states at
//   every layer boundary (brick layers + 2 states each way) and the target:
//     (brick layers + 2) · 2 · state + target.
//   An ansatz of `layers` Trotter steps has 2·layers + 1 brick layers at order 2 (2·layers at
//   order 1); with `layers = auto` the deepest depth auto may try is counted.
// - trotter: the target and one working state.
//
// Pure and cheap (no allocation beyond a few numbers): the language server and `qham compile` call
// it before every compile.
import type { EvolveOptions } from '../../model/program';

/**
 * The deepest ansatz `layers = auto` tries: CompileControl.maxAutoLayers's default in
 * compile-aqc.ts (neither the server nor the CLI sets it). Keep the two in step.
 */
export const MAX_AUTO_LAYERS = 12;

/**
 * The default limit (MB): qham.maxCompileMemoryMB's default (DEFAULT_SETTINGS in protocol.ts, which
 * the client bundles without the engine) and `qham compile --max-memory`'s.
 */
export const DEFAULT_MAX_COMPILE_MEMORY_MB = 4096;

/** Bytes per χ_left·χ_right of a site tensor: 2 physical states × complex (re + im Float64). */
const SITE_BYTES = 2 * 2 * 8;

/** What the estimate needs of a block (an EvolveBlock has it). */
export interface MemoryBlock {
  readonly hamiltonian: { readonly sum: { readonly qubits: number } };
  readonly options: Pick<EvolveOptions, 'method' | 'bond' | 'layers' | 'order'>;
}

export interface CompileMemory {
  /** Estimated peak bytes. */
  bytes: number;
  /** Qubits (sites of the MPS). */
  qubits: number;
  /** The block's bond option. */
  bond: number;
  method: 'aqc' | 'trotter';
  /** Brick layers of the deepest ansatz counted (aqc). */
  brickLayers?: number;
  /** layers = auto: brickLayers is the deepest auto may try. */
  auto?: boolean;
}

/** Bytes of one MPS on n sites with bonds capped at `bond` (and by the exact 2^k, 2^(n−k) limits). */
export function mpsBytes(n: number, bond: number): number {
  if (n <= 0) return 0;
  const cut = (k: number) => (k <= 0 || k >= n ? 1 : Math.min(bond, 2 ** Math.min(k, n - k)));
  let elements = 0;
  for (let i = 0; i < n; i++) elements += cut(i) * cut(i + 1);
  return elements * SITE_BYTES;
}

/** Brick layers of an ansatz of `layers` Trotter steps. */
export function brickLayers(layers: number, order: 1 | 2): number {
  return order === 2 ? 2 * layers + 1 : 2 * layers;
}

export function compileMemory(block: MemoryBlock, maxAutoLayers = MAX_AUTO_LAYERS): CompileMemory {
  const o = block.options;
  const qubits = block.hamiltonian.sum.qubits;
  const state = mpsBytes(qubits, o.bond);
  if (o.method === 'trotter') return { bytes: 2 * state, qubits, bond: o.bond, method: 'trotter' };
  const auto = o.layers === 'auto';
  const bricks = brickLayers(auto ? maxAutoLayers : (o.layers as number), o.order);
  return { bytes: (bricks + 2) * 2 * state + state, qubits, bond: o.bond, method: 'aqc', brickLayers: bricks, auto };
}

/** Estimated peak memory of compiling `block`, in bytes. */
export function estimateCompileBytes(block: MemoryBlock): number {
  return compileMemory(block).bytes;
}

const MB = 1024 * 1024;

/** Whether an estimate exceeds a limit given in MB (MiB). */
export function exceedsLimit(bytes: number, limitMb: number): boolean {
  return bytes > limitMb * MB;
}

/** 9.6 GB, 512 MB, 1.8 TB (binary units: 1 MB = 2^20 bytes, as the limit). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  if (u === 0) return `${Math.round(v)} bytes`;
  return `${v >= 100 ? Math.round(v) : Number(v.toPrecision(2))} ${units[u]}`;
}

/**
 * Why a compile is refused: "the compile needs about 9.6 GB (n = 1000, bond = 1024, up to 25 brick
 * layers); the limit is 4096 MB (qham.maxCompileMemoryMB); lower bond or layers". `limitName` says
 * where the limit comes from (the setting, or a command-line flag). No final full stop: callers embed it.
 */
export function compileTooLargeMessage(m: CompileMemory, limitMb: number, limitName: string): string {
  const shape = m.method === 'trotter'
    ? `n = ${m.qubits}, bond = ${m.bond}, trotter`
    : `n = ${m.qubits}, bond = ${m.bond}, ${m.auto ? 'up to ' : ''}${m.brickLayers} brick layers`;
  const advice = m.method === 'trotter' ? 'lower bond' : 'lower bond or layers';
  return `the compile needs about ${formatBytes(m.bytes)} (${shape}); the limit is ${limitMb} MB (${limitName}); ${advice}`;
}
