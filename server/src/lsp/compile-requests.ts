// Handlers of the QHam requests beyond LSP: qham/compile, qham/cancel, qham/circuitView, qham/export.
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ResponseError, LSPErrorCodes } from 'vscode-languageserver';
import { toSvg } from '../export/svg';
import { circuitJson, toResultJson } from '../export/json';
import { toQasm2 } from '../export/qasm2';
import { writeFileAtomic } from '../export/write-atomic';
import type { BlockRef, CircuitViewData, ExportParams } from '../protocol';
import type { CompileManager } from './compile-manager';
import { qasmFor } from './outputs';
import { RESULT_FORMAT, RESULT_VERSION } from '../export/result-types';

/** Circuits with more gates than this are not drawn (the view says so and offers exports). */
export const DRAW_LIMIT = 20_000;

export function circuitView(m: CompileManager, p: BlockRef): CircuitViewData | null {
  const e = m.entry(p.uri, p.block);
  if (!e) return null;
  const data: CircuitViewData = { status: e.status };
  const r = e.result;
  if (!r && e.liveTrace.length) data.trace = [...e.liveTrace];
  if (r) {
    data.circuit = circuitJson(r.circuit);
    data.trace = r.numbers.trace;
    if (r.circuit.gates.length > DRAW_LIMIT) data.tooLarge = { gates: r.circuit.gates.length, limit: DRAW_LIMIT };
    else data.svg = toSvg(r.circuit, { title: `${p.block} — ${r.method}` });
  }
  return data;
}

export async function exportBlock(m: CompileManager, p: ExportParams): Promise<{ path: string } | ResponseError<void>> {
  const e = m.entry(p.uri, p.block);
  if (!e?.result || !e.block) return new ResponseError(LSPErrorCodes.RequestFailed, `\`${p.block}\` has no compiled circuit yet; compile it first.`);
  if (!isAbsolute(p.path)) return new ResponseError(LSPErrorCodes.RequestFailed, `export path must be absolute: ${p.path}`);
  const docPath = p.uri.startsWith('file:') ? fileURLToPath(p.uri) : p.uri;
  const r = e.result, b = e.block;
  const header = { source: docPath, block: b.name, method: b.options.method, fidelity: r.numbers.fidelity, targetError: r.numbers.targetError, settings: { ...b.options, t: b.time }, generator: 'qham 0.1.0' };
  let text: string;
  switch (p.format) {
    case 'qasm3': text = qasmFor(docPath, b, r); break;
    case 'qasm2': text = toQasm2(r.circuit, header); break;
    case 'svg': text = toSvg(r.circuit, { title: `${b.name} — ${r.method}` }); break;
    case 'json': text = toResultJson({ format: RESULT_FORMAT, version: RESULT_VERSION, source: docPath, generator: 'qham 0.1.0', blocks: [{ name: b.name, method: b.options.method, settings: { ...b.options, t: b.time }, result: r.numbers, circuit: circuitJson(r.circuit) }] }); break;
    default: return new ResponseError(LSPErrorCodes.RequestFailed, `unknown export format ${String(p.format)}`);
  }
  try {
    await writeFileAtomic(p.path, text);
  } catch (err) {
    return new ResponseError(LSPErrorCodes.RequestFailed, `could not write ${p.path}: ${(err as Error).message}`);
  }
  return { path: p.path };
}
