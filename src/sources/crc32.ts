// CRC-32 (gzip's, IEEE 802.3): node's own where it has one (zlib.crc32, node 20.15 and later), else
// by bytes from a table made when first used (about ten times slower). A gzip that fails to decode
// is checked with it, and the folder's index files are.
import * as zlib from "node:zlib";

let crcTable: Int32Array | undefined;

function byTable(data: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** The CRC-32 of data, going on from `crc` (the CRC of the bytes before). */
export const crc32: (data: Uint8Array, crc?: number) => number = native ? (data, crc = 0) => native(data, crc) : byTable;

/** The table's CRC (tests: it gives node's). */
export const crc32ByTable = byTable;
