// Names the language defines itself: constants, functions, Pauli letters, state words.

export const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

export interface BuiltinFunction {
  readonly arity: number | 'variadic';
  readonly doc: string;
  readonly apply: (args: number[]) => number;
}

export const FUNCTIONS: Readonly<Record<string, BuiltinFunction>> = {
  sqrt: { arity: 1, doc: 'square root', apply: ([x]) => Math.sqrt(x) },
  sin: { arity: 1, doc: 'sine (radians)', apply: ([x]) => Math.sin(x) },
  cos: { arity: 1, doc: 'cosine (radians)', apply: ([x]) => Math.cos(x) },
  tan: { arity: 1, doc: 'tangent (radians)', apply: ([x]) => Math.tan(x) },
  exp: { arity: 1, doc: 'exponential', apply: ([x]) => Math.exp(x) },
  log: { arity: 1, doc: 'natural logarithm', apply: ([x]) => Math.log(x) },
  abs: { arity: 1, doc: 'absolute value', apply: ([x]) => Math.abs(x) },
  floor: { arity: 1, doc: 'largest integer ≤ x', apply: ([x]) => Math.floor(x) },
  ceil: { arity: 1, doc: 'smallest integer ≥ x', apply: ([x]) => Math.ceil(x) },
  min: { arity: 'variadic', doc: 'smallest argument', apply: (xs) => Math.min(...xs) },
  max: { arity: 'variadic', doc: 'largest argument', apply: (xs) => Math.max(...xs) },
};

export const PAULI_LETTERS = new Set(['X', 'Y', 'Z', 'I']);
export const STATE_WORDS = new Set(['zero', 'neel', 'plus', 'bits']);

/** Names a user may not define (the keywords are refused by the parser already). */
export function isReserved(name: string): boolean {
  return PAULI_LETTERS.has(name) || name === 'n' || name in CONSTANTS || name in FUNCTIONS || STATE_WORDS.has(name);
}

/** Evolve options: their value kinds and documentation (completion and hover use these). */
export interface OptionSpec {
  readonly key: string;
  readonly doc: string;
  readonly defaultText: string;
  /** Words accepted besides numbers/strings. */
  readonly words: readonly string[];
  readonly valueKind: 'enum' | 'integer' | 'real' | 'string';
}

export const OPTIONS: readonly OptionSpec[] = [
  { key: 'method', doc: '`aqc`: optimise a parametrised circuit against an MPS of the evolved state. `trotter`: the plain product-formula circuit.', defaultText: 'aqc', words: ['aqc', 'trotter'], valueKind: 'enum' },
  { key: 'layers', doc: 'Ansatz depth in Trotter steps (aqc), or number of steps (trotter). `auto`: the smallest that reaches `fidelity`.', defaultText: 'auto', words: ['auto'], valueKind: 'integer' },
  { key: 'order', doc: 'Product-formula order (1 or 2) of the ansatz structure and of the trotter method.', defaultText: '2', words: [], valueKind: 'integer' },
  { key: 'fidelity', doc: 'The goal, 0 < f ≤ 1. A compiled circuit below it gets a warning on the block.', defaultText: '0.99', words: [], valueKind: 'real' },
  { key: 'bond', doc: 'Maximum bond dimension (≥ 2) of the target MPS.', defaultText: '64', words: [], valueKind: 'integer' },
  { key: 'target_steps', doc: 'Trotter steps used to compute the target MPS. `auto`: enough that halving the step changes the target by < 1e-6 in fidelity.', defaultText: 'auto', words: ['auto'], valueKind: 'integer' },
  { key: 'maxiter', doc: 'Optimiser iteration cap (≥ 1).', defaultText: '500', words: [], valueKind: 'integer' },
  { key: 'seed', doc: 'Seed for any randomness: the same file gives the same circuit.', defaultText: '0', words: [], valueKind: 'integer' },
  { key: 'output', doc: 'Where on-save compilation writes OpenQASM 3, relative to the .qham file and inside the workspace.', defaultText: 'none', words: [], valueKind: 'string' },
];

export const OPTION_BY_KEY: ReadonlyMap<string, OptionSpec> = new Map(OPTIONS.map((o) => [o.key, o]));
