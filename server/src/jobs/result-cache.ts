// Compile results by block key, in memory and (when a folder is given) on disk, so reopening a file
// or restarting the server reuses them. Disk entries are written atomically and validated on read.
import { mkdirSync, readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CompileResult } from '../engine/compile/types';

const FORMAT = 'qham-cache-1';

/**
 * Results kept in memory (least recently used first out; the disk keeps every one). Every edit of a
 * block's inputs that compiles makes a new key: without a bound, a long session with compile-on-type
 * would keep every circuit it ever compiled in the server's heap.
 */
export const MEMORY_ENTRIES = 256;

export class ResultCache {
  private readonly memory = new Map<string, CompileResult>();

  constructor(private readonly folder?: string, private readonly maxEntries = MEMORY_ENTRIES) {
    if (folder) {
      try { mkdirSync(folder, { recursive: true }); } catch { this.folder = undefined; }
    }
  }

  get(key: string): CompileResult | undefined {
    const hit = this.memory.get(key);
    if (hit) { this.remember(key, hit); return hit; }
    if (!this.folder) return undefined;
    try {
      const data = JSON.parse(readFileSync(join(this.folder, `${key}.json`), 'utf8')) as { format?: string; key?: string; result?: CompileResult };
      if (data.format !== FORMAT || data.key !== key || !data.result || !Array.isArray(data.result.circuit?.gates)) return undefined;
      this.remember(key, data.result);
      return data.result;
    } catch {
      return undefined;
    }
  }

  set(key: string, result: CompileResult): void {
    this.remember(key, result);
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

  /** Entries in memory. */
  get size(): number {
    return this.memory.size;
  }

  /** Puts `key` last in the Map's order (most recently used) and drops the oldest beyond the bound. */
  private remember(key: string, result: CompileResult): void {
    this.memory.delete(key);
    this.memory.set(key, result);
    while (this.memory.size > this.maxEntries) this.memory.delete(this.memory.keys().next().value as string);
  }
}
