// Matrix product states: a value type with a small vocabulary (quimb/ITensor style).
//
// Mutation convention: an operation that changes a state says "In place" in its doc comment and
// returns only a report (discarded weight, previous norm) — never a new MPS. They are the
// `apply*` functions, `moveCenter`, `canonicalize`, `normalizeMps` and `scaleMps`. Everything
// else (constructors, `cloneMps`, `overlap`, `mpsNorm`, expectations, `mpsToDense`,
// `circuitFidelity`, transfer steps) leaves its arguments untouched. Use `cloneMps` to keep a
// state across an in-place operation. In-place updates are what TEBD sweeps need (no copy of the
// untouched n−2 tensors per gate).
//
// Layout: site i is qubit i (qubit 0 the least significant bit of a dense index), tensors
// T[l, s, r] row-major with split re/im Float64Arrays; see mps.ts.
export {
  type Complex, type Mps, type SiteTensor,
  siteTensor, zeroMps, productMps, cloneMps, bondDimensions, maxBondDimension, scaleMps, mpsToDense, assertValidMps,
} from './mps';
export { asLeftMatrix, asRightMatrix, moveCenter, canonicalize, normalizeMps } from './canonical';
export {
  type SiteOperator,
  applyPhysicalOp, leftTransfer, rightTransfer, overlap, stateFidelity, mpsNorm, localExpectation, pauliExpectation,
} from './contract';
export {
  type TruncationOptions, type TruncationTally, type SplitProfile,
  DEFAULT_CUTOFF, newTally, newProfile, applyOneQubit, applyTwoQubit, applyBond,
} from './apply';
export { type CircuitReport, type CircuitFidelity, applyCircuit, circuitFidelity } from './circuit';
export { matmulSmall, kron2, swapQubitOrder, isUnitary, IDENTITY2, PAULI_MATRICES } from './small';
