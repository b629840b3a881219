// One call from text to everything the tools need: tree, names, values, model and diagnostics.
import type { Program } from '../model/program';
import type { FileAst } from './ast';
import { type Diagnostic, DiagnosticSink } from './diagnostics';
import { type EvaluateOptions, type SemanticInfo, evaluate } from './evaluate';
import { parse } from './parser';
import { type Resolution, resolve } from './resolve';

export interface Analysis {
  readonly text: string;
  readonly ast: FileAst;
  readonly resolution: Resolution;
  readonly info: SemanticInfo;
  readonly program: Program;
  /** Sorted by position. */
  readonly diagnostics: Diagnostic[];
}

export function analyze(text: string, options: EvaluateOptions = {}): Analysis {
  const sink = new DiagnosticSink();
  const ast = parse(text, sink);
  const resolution = resolve(ast, text, sink);
  const { program, info } = evaluate(ast, text, resolution, sink, options);
  options.cache?.commit();
  const diagnostics = sink.list.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { text, ast, resolution, info, program, diagnostics };
}
