// Two-qubit KAK (Weyl) decomposition and one-qubit ZXZ Euler angles.
export {
  type Complex, dim, identity, matmul, matmulAll, adjoint, transpose, kron, scalePhase, det,
  maxAbsDiff, unitarityError, phaseFit, distanceUpToPhase,
} from './cmat';
export { type Zxz, zxz, fromZxz, zxzDerivatives } from './su2';
export { type Kak, type KakOptions, MAGIC, kak, kakMatrix, weylMatrix } from './weyl';
