// Target states for AQC: TEBD of nearest-neighbour chains (with a time-step error estimate) and
// product-formula states of any Hamiltonian on an MPS. Nothing here mutates its inputs; the
// returned MPSs are new.
export { type ChainHamiltonian, chainHamiltonian, expmHermitian } from './chain';
export { type TebdRunOptions, type TebdRun, CancelledError, tebdRun } from './tebd';
export {
  type TargetOptions, type TargetProgress, type TargetResult, type TargetStop, type TimestepCheck,
  targetState,
} from './target';
export { type ProductFormulaOptions, type ProductFormulaResult, productFormulaMps } from './product-formula';
