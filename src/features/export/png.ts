import zlib from 'node:zlib';

/** CRC-32 (ISO 3309), as PNG chunks need it. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes RGBA pixels (row by row, 4 bytes each) as a PNG. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(
      raw,
      y * (width * 4 + 1) + 1,
    );
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The 48x48 illustration of a ZIM file: an open book on the site's colour. */
export function libraryIcon(size = 48): Buffer {
  const pixels = new Uint8Array(size * size * 4);
  const set = (x: number, y: number, [r, g, b]: [number, number, number]) => {
    const i = (y * size + x) * 4;
    pixels[i] = r;
    pixels[i + 1] = g;
    pixels[i + 2] = b;
    pixels[i + 3] = 255;
  };
  const s = size / 48;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      set(x, y, [0x5b, 0x2a, 0x86]); // background
      const inBook = y >= 12 * s && y < 38 * s && x >= 8 * s && x < 40 * s;
      const spine = Math.abs(x - size / 2) < 1 * s;
      if (inBook) set(x, y, spine ? [0xd9, 0xc8, 0xec] : [0xff, 0xff, 0xff]);
      const line = inBook && !spine && (y - 12 * s) % (5 * s) < 1 * s && y > 16 * s && y < 35 * s;
      const margin = x > 11 * s && x < 37 * s && Math.abs(x - size / 2) > 3 * s;
      if (line && margin) set(x, y, [0x9a, 0x86, 0xb0]);
    }
  }
  return encodePng(size, size, pixels);
}
