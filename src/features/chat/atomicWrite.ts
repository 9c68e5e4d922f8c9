/**
 * Writes a file so that a crash leaves either the old text or the new, never half of one: the
 * text goes to a temporary file beside it, which then replaces it.
 */
import { promises as fs } from 'node:fs';
import { randomId } from '../../core/randomId';

export async function writeFileAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomId()}.tmp`;
  await fs.writeFile(temp, text, 'utf8');
  await fs.rename(temp, file);
}
