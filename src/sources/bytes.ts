// Joining pieces of content without copying when they are one buffer's consecutive slices (a plain
// file read whole and split into pieces): a record or line that spans them is then a view of that
// buffer, not a copy. Pieces from different reads are copied into one, as Buffer.concat does.

/** The pieces as one buffer: a view when they lie end to end in one allocation, else a copy. */
export function joinPieces(pieces: readonly Buffer[], length?: number): Buffer {
  if (pieces.length === 1) return pieces[0]!;
  const first = pieces[0];
  if (first === undefined) return Buffer.alloc(0);
  let end = first.byteOffset + first.length;
  for (let i = 1; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (p.buffer !== first.buffer || p.byteOffset !== end) return Buffer.concat(pieces, length);
    end += p.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
