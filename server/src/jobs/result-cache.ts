// Compile results by block key, in memory and (when a folder is given) on disk, so reopening a file
// or restarting the server reuses them. Disk entries are written atomically and validated on read.
import { mkdirSync, readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CompileResult } from '../engine/compile/types';

const FORMAT = 'qham-cache-1';

export class ResultCache {
  private readonly memory = new Map<string, CompileResult>();

  constructor(private readonly folder?: string) {
    if (folder) {
      try { mkdirSync(folder, { recursive: true }); } catch { this.folder = undefined; }
    }
  }

  get(key: string): CompileResult | undefined {
    const hit = this.memory.get(key);
    if (hit) return hit;
    if (!this.folder) return undefined;
    try {
      const data = JSON.parse(readFileSync(join(this.folder, `${key}.json`), 'utf8')) as { format?: string; key?: string; result?: CompileResult };
      if (data.format !== FORMAT || data.key !== key || !data.result || !Array.isArray(data.result.circuit?.gates)) return undefined;
      this.memory.set(key, data.result);
      return data.result;
    } catch {
      return undefined;
    }
  }

  set(key: string, result: CompileResult): void {
    this.memory.set(key, result);
    if (!this.folder) return;
    const file = join(this.folder, `${key}.json`);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, key, result }));
      renameSync(tmp, file);
    } catch {
      try { unlinkSync(tmp); } catch { /* nothing to clean */ }
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
}
