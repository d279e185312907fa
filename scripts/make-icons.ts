/**
 * Draws the toolbar icons (a white speech bubble on a red rounded square) as
 * PNGs into public/icon/. Run once after changing the design: `npx tsx scripts/make-icons.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 128];
const RED = [200, 16, 46];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Signed distance to a rounded box centred at the origin. */
function roundedBox(x: number, y: number, half: number, r: number): number {
  const qx = Math.abs(x) - half + r;
  const qy = Math.abs(y) - half + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function pixel(u: number, v: number): [number, number, number, number] {
  const tile = roundedBox(u, v, 1, 0.42);
  const bubble = Math.min(
    Math.hypot(u / 1.15, (v + 0.08) / 0.9) - 0.58,
    // The bubble's tail, bottom left.
    Math.max(u + 0.55 - (v - 0.1) * 0.2, -(u + 0.15), v - 0.72, -(v - 0.25)),
  );
  const cover = (d: number) => Math.min(1, Math.max(0, 0.5 - d * 20));
  const a = cover(tile);
  const w = cover(bubble);
  return [RED[0]! * (1 - w) + 255 * w, RED[1]! * (1 - w) + 255 * w, RED[2]! * (1 - w) + 255 * w, 255 * a];
}

function png(size: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const rgba = pixel(((x + 0.5) / size) * 2 - 1, ((y + 0.5) / size) * 2 - 1);
      rgba.forEach((c, i) => (row[1 + x * 4 + i] = Math.round(c)));
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync('public/icon', { recursive: true });
for (const size of SIZES) writeFileSync(`public/icon/${size}.png`, png(size));
