// textDocument/codeLens: above each evolve block, its compile state and the actions on it:
// `▶ Compile · Show circuit · Export` before; `F 0.9934 · 2q-depth 9 (Trotter 36) · 3.1 s` after.
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../lang/analyze';
import { type BlockStatus, COMMANDS } from '../protocol';
import { toRange } from './convert';

export function codeLenses(doc: TextDocument, a: Analysis, statuses: readonly BlockStatus[]): CodeLens[] {
  const out: CodeLens[] = [];
  const byName = new Map(statuses.map((s) => [s.block, s]));
  for (const stmt of a.ast.statements) {
    if (stmt.kind !== 'evolve') continue;
    const name = a.info.evolveOptions.get(stmt)?.name;
    if (!name) continue;
    const range = toRange(doc, stmt.keyword);
    const arg = { uri: doc.uri, block: name };
    const lens = (title: string, command: string) => out.push({ range, command: { title, command, arguments: [arg] } });
    const s = byName.get(name);
    switch (s?.state) {
      case 'invalid':
        lens('$(error) fix the errors to compile', COMMANDS.showCircuit);
        break;
      case 'queued':
        lens('$(clock) queued', COMMANDS.showCircuit);
        lens('Cancel', COMMANDS.cancel);
        break;
      case 'running':
        lens(`$(sync~spin) ${s.progress?.message ?? 'compiling'}`, COMMANDS.showCircuit);
        lens('Cancel', COMMANDS.cancel);
        break;
      case 'done': {
        const n = s.numbers!;
        const trotter = n.trotter?.twoQubitDepth !== undefined ? ` (Trotter ${n.trotter.twoQubitDepth})` : '';
        const mark = s.goalReached ? '' : '$(warning) ';
        lens(`${mark}F ${n.fidelity?.toFixed(4)} · 2q-depth ${n.twoQubitDepth}${trotter} · ${n.seconds.toFixed(1)} s${s.cached ? ' (cached)' : ''}`, COMMANDS.showCircuit);
        lens('Show circuit', COMMANDS.showCircuit);
        lens('Export', COMMANDS.exportQasm3);
        break;
      }
      case 'failed':
        lens(`$(error) compile failed — retry`, COMMANDS.compile);
        break;
      default:
        lens('▶ Compile', COMMANDS.compile);
        lens('Show circuit', COMMANDS.showCircuit);
        lens('Export', COMMANDS.exportQasm3);
    }
  }
  return out;
}
