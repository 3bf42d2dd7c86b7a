// A file of text that configures a run (a Sigma rule file, a template), read whole: it must be a
// regular file (a FIFO hung detect and `trailq templates`, and /dev/zero through a symlink grew to
// 16.8 GB and aborted), no bigger than `maxBytes` (checked on the bytes read too: its size may be 0
// or change), and UTF-8 (a Latin-1 `contains: "Ünïc"` became `�n�c` and matched nothing).
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { isUtf8 } from "node:buffer";

export class TextFileError extends Error {}

export function readTextFile(file: string, maxBytes: number): string {
  // O_NONBLOCK: opening a FIFO with no writer would wait for one
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new TextFileError(st.isDirectory() ? "a folder, not a file" : "not a regular file (a named pipe, a device or a socket)");
    if (st.size > maxBytes) throw new TextFileError(`${st.size} bytes: bigger than such a file can be (${maxBytes})`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
    if (n > maxBytes) throw new TextFileError(`bigger than such a file can be (${maxBytes} bytes)`);
    const bytes = buf.subarray(0, n);
    if (!isUtf8(bytes)) throw new TextFileError("not UTF-8 (Latin-1 text?): save it as UTF-8");
    return bytes.toString("utf8");
  } finally {
    closeSync(fd);
  }
}
