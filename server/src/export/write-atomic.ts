// Atomic file replacement: readers (and a crash mid-write) see the old file or the new one, never a
// half-written one. The temp file lives in the target's directory so the rename stays on one
// filesystem, where it is atomic.
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Follows a symlinked target, so the link stays a link and its file gets the new text. */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path; // does not exist yet (or a dangling link: replace the link itself)
  }
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const target = await resolveTarget(path);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  let created = false;
  try {
    await mkdir(dir, { recursive: true });
    // Keep an existing file's permissions; new files get the usual 0666 & ~umask.
    const existing = await stat(target).then((s) => s.mode & 0o777, () => undefined);
    handle = await open(tmp, 'wx', 0o666);
    created = true;
    if (existing !== undefined) await handle.chmod(existing); // open's mode is filtered by umask
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, target);
    created = false;
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    if (created) await unlink(tmp).catch(() => undefined);
    throw new Error(`could not write ${path}: ${errorText(e)}`, { cause: e });
  }
  // Make the rename itself durable; directories cannot be opened for sync everywhere (Windows).
  try {
    const d = await open(dir, 'r');
    try { await d.sync(); } finally { await d.close(); }
  } catch {
    // best effort
  }
}
