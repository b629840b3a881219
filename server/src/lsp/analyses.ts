// Keeps one Analysis per open document, recomputed lazily for the latest version only.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Analysis, analyze } from '../lang/analyze';
import { EvalCache } from '../lang/eval-cache';

export class Analyses {
  private readonly cache = new Map<string, { version: number; analysis: Analysis; evals: EvalCache }>();

  constructor(private overrides: ReadonlyMap<string, number | readonly number[]> = new Map()) {}

  get(doc: TextDocument): Analysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit.analysis;
    // Hamiltonians whose text and inputs did not change are reused from the previous analysis.
    const evals = hit?.evals ?? new EvalCache();
    const analysis = analyze(doc.getText(), { overrides: this.overrides, cache: evals });
    this.cache.set(doc.uri, { version: doc.version, analysis, evals });
    return analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  setOverrides(o: ReadonlyMap<string, number | readonly number[]>): void {
    this.overrides = o;
    this.cache.clear();
  }
}
