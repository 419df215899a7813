// Zip containers (XLSX and ODS are both zips). Writing is fflate's. Reading
// goes through the central directory and inflates only the entries asked for,
// counting what comes out: a file that claims to be small but inflates to
// something huge (a zip bomb) is refused before it can fill the memory.
import { Inflate, zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import { UnreadableFile } from './unreadable.ts';

/** The most any one entry may inflate to. */
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;
const CHUNK = 4096;

export interface ZipEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Stored as is (the ODF mimetype must be), rather than deflated. */
  readonly stored?: boolean;
}

/** A zip of the entries in the order given (ODF needs its mimetype first). */
export function writeZip(entries: readonly ZipEntry[], at: Date): Buffer {
  const files: Zippable = {};
  for (const entry of entries) files[entry.name] = [entry.bytes, { level: entry.stored ? 0 : 6, mtime: at }];
  return Buffer.from(zipSync(files));
}

export const isZip = (bytes: Uint8Array): boolean => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

interface DirectoryEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localOffset: number;
}

/** The entries a zip holds, in the order its central directory lists them. `notValid` names the message for a broken file. */
export function zipDirectory(bytes: Uint8Array, notValid: string): { names: string[]; read(name: string): Uint8Array | undefined } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const broken = (): never => {
    throw new UnreadableFile(notValid);
  };
  const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : broken());
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : broken());
  if (!isZip(bytes)) broken();
  // The end of central directory record: within the last 64 KiB (its comment is at most that long).
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) broken();
  const count = u16(end + 10);
  let at = u32(end + 16);
  const entries: DirectoryEntry[] = [];
  const names = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (u32(at) !== 0x02014b50) broken();
    const nameLength = u16(at + 28);
    if (at + 46 + nameLength > bytes.length) broken();
    entries.push({
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: u16(at + 10),
      compressedSize: u32(at + 20),
      localOffset: u32(at + 42),
    });
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
  }
  return {
    names: entries.map((entry) => entry.name),
    read(name) {
      const entry = entries.find((e) => e.name === name);
      if (!entry) return undefined;
      const local = entry.localOffset;
      if (u32(local) !== 0x04034b50) broken();
      const start = local + 30 + u16(local + 26) + u16(local + 28);
      if (start + entry.compressedSize > bytes.length) broken();
      const data = bytes.subarray(start, start + entry.compressedSize);
      if (entry.method === 0) return data.length <= MAX_ENTRY_BYTES ? data : broken();
      if (entry.method !== 8) broken();
      return inflateBounded(data, broken);
    },
  };
}

function inflateBounded(data: Uint8Array, broken: () => never): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > MAX_ENTRY_BYTES) throw new UnreadableFile('unpacksTooBig', { size: `${MAX_ENTRY_BYTES / 1024 / 1024} MB` });
    parts.push(chunk);
    if (final) finished = true;
  });
  try {
    for (let at = 0; at < data.length; at += CHUNK) inflater.push(data.subarray(at, at + CHUNK), at + CHUNK >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof UnreadableFile) throw error;
    broken();
  }
  if (!finished) broken();
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
