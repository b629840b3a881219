// On-save outputs: where an evolve block's `output` file goes, and writing it safely — inside the
// workspace only, atomically, never over a file QHam did not write.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompileResult } from '../engine/compile/types';
import { isQhamFile } from '../export/header';
import { toQasm3 } from '../export/qasm3';
import { writeFileAtomic } from '../export/write-atomic';
import type { EvolveBlock } from '../model/program';

export type OutputCheck = { ok: true; path: string } | { ok: false; reason: string };

/** Resolves `output` against the .qham file and checks it lies inside a workspace folder. */
export function resolveOutput(docUri: string, output: string, workspaceFolders: readonly string[]): OutputCheck {
  if (!docUri.startsWith('file:')) return { ok: false, reason: 'the file is not saved on disk, so `output` has no folder to be relative to' };
  const file = fileURLToPath(docUri);
  const path = resolve(dirname(file), output);
  const roots = workspaceFolders.length ? workspaceFolders : [dirname(file)];
  const inside = roots.some((r) => {
    const rel = relative(r, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  });
  if (!inside) return { ok: false, reason: `\`output\` resolves to ${path}, outside the workspace (${roots.join(', ')}); QHam writes only inside it` };
  return { ok: true, path };
}

/** The OpenQASM 3 text of a compiled block, with the QHam header. */
export function qasmFor(docPath: string, b: EvolveBlock, r: CompileResult): string {
  return toQasm3(r.circuit, {
    source: docPath,
    block: b.name,
    method: b.options.method,
    fidelity: r.numbers.fidelity,
    targetError: r.numbers.targetError,
    settings: { ...b.options, t: b.time },
    generator: 'qham 0.1.0',
  });
}

/** Writes an output file unless a file QHam did not write is already there. */
export async function writeOutput(path: string, text: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    if (existsSync(path) && !isQhamFile(readFileSync(path, 'utf8'))) {
      return { ok: false, reason: `${path} exists and was not written by QHam; not overwriting it (delete or rename it, or choose another \`output\`)` };
    }
    await writeFileAtomic(path, text);
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `could not write ${path}: ${(e as Error).message}` };
  }
}
