// Every diagnostic the language can produce, with its stable code. docs/diagnostics.md has one entry per code.
import type { Span } from '../model/span';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export const CODES = {
  // Lexical and syntax
  UnexpectedCharacter: 'QH100',
  UnterminatedString: 'QH101',
  InvalidNumber: 'QH102',
  SyntaxError: 'QH110',
  UnclosedBracket: 'QH111',
  UnknownStatement: 'QH112',
  // Names
  UndefinedName: 'QH200',
  DuplicateName: 'QH201',
  UsedBeforeDefinition: 'QH202',
  ReservedName: 'QH203',
  MissingQubits: 'QH204',
  DuplicateQubits: 'QH205',
  WrongKindOfName: 'QH206',
  UnusedName: 'QH207',
  // Values and types
  TypeMismatch: 'QH300',
  NotAnInteger: 'QH301',
  QubitOutOfRange: 'QH302',
  ArrayIndexOutOfRange: 'QH303',
  DivisionByZero: 'QH304',
  NotFinite: 'QH305',
  WrongArgumentCount: 'QH306',
  UnknownFunction: 'QH307',
  RegisterSize: 'QH308',
  ArrayWithoutIndex: 'QH309',
  InvalidStep: 'QH310',
  // Hamiltonians
  NonHermitian: 'QH400',
  EmptyHamiltonian: 'QH401',
  EmptyRange: 'QH402',
  ScalarLine: 'QH403',
  // States
  BitsLength: 'QH500',
  BitsCharacters: 'QH501',
  UnknownState: 'QH502',
  // Evolve blocks
  UnknownOption: 'QH600',
  InvalidOptionValue: 'QH601',
  DuplicateOption: 'QH602',
  NotNearestNeighbour: 'QH603',
  ZeroTime: 'QH604',
  // Compilation (reported by the language server after a compile)
  GoalNotReached: 'QH700',
  CompileFailed: 'QH701',
  OutputRefused: 'QH702',
  CompileTooLarge: 'QH703',
  // Limits
  TooManyTerms: 'QH900',
  RangeTooLarge: 'QH901',
  TooDeep: 'QH902',
  TooMuchWork: 'QH903',
  TooLong: 'QH904',
} as const;

export type Code = (typeof CODES)[keyof typeof CODES];

/** A text edit that fixes a diagnostic (offsets into the same text). */
export interface FixEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  edits: FixEdit[];
}

export interface Related {
  span: Span;
  message: string;
}

export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  span: Span;
  /** The one obvious fix, when there is one (offered as a quick fix). */
  fix?: Fix;
  related?: Related[];
  /** Marks code the user can delete (rendered faded). */
  unnecessary?: boolean;
}

/** Collects diagnostics, keeping one per (code, range) so loops do not repeat themselves. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  add(d: Diagnostic): void {
    const key = `${d.code}:${d.span.start}:${d.span.end}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(d);
  }

  error(code: Code, span: Span, message: string, extra?: Partial<Diagnostic>): void {
    this.add({ code, severity: 'error', span, message, ...extra });
  }

  warning(code: Code, span: Span, message: string, extra?: Partial<Diagnostic>): void {
    this.add({ code, severity: 'warning', span, message, ...extra });
  }

  has(code: Code, s: Span): boolean {
    return this.seen.has(`${code}:${s.start}:${s.end}`);
  }

  get errorCount(): number {
    return this.list.filter((d) => d.severity === 'error').length;
  }
}
