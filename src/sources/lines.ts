// Splitting JSON lines over chunks: whole lines are decoded a block at a time (everything up to the
// chunk's last newline) and handed on with their 1-based line numbers; the unfinished last line waits
// for the next chunk. Memory is one chunk plus the longest line.
import { joinPieces } from "./bytes.js";
import { MAX_RECORD_BYTES } from "./scanner.js";
import { textOf } from "./sniff.js";
import { utf8Text } from "./utf8.js";

export interface LineSink {
  /** A line without its newline (it may end with \r, which JSON.parse ignores). */
  line(text: string, lineNo: number): void;
  /** A line longer than MAX_RECORD_BYTES: dropped up to its newline. */
  tooLong(lineNo: number): void;
}

const NL = 0x0a;

export class LineSplitter {
  private carry: Buffer[] = [];
  private carryLength = 0;
  /** Lines completed so far. */
  private lineNo = 0;
  /** Inside a line too long to keep: drop bytes up to the next newline. */
  private dropping = false;

  constructor(private readonly sink: LineSink) {}

  push(chunk: Buffer): void {
    const last = chunk.lastIndexOf(NL);
    if (last < 0) {
      if (this.dropping) return;
      this.carry.push(chunk);
      this.carryLength += chunk.length;
      if (this.carryLength > MAX_RECORD_BYTES) {
        this.sink.tooLong(this.lineNo + 1);
        this.carry = [];
        this.carryLength = 0;
        this.dropping = true;
      }
      return;
    }
    let start = 0;
    if (this.dropping) {
      start = chunk.indexOf(NL) + 1;
      this.lineNo++;
      this.dropping = false;
    }
    let block: string;
    if (this.carry.length === 0) block = textOf(chunk.subarray(start, last + 1));
    else {
      this.carry.push(chunk.subarray(start, last + 1));
      block = textOf(joinPieces(this.carry));
    }
    this.carry = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
    this.carryLength = chunk.length - (last + 1);
    this.emit(block);
  }

  end(): void {
    if (this.carry.length > 0 && !this.dropping) {
      const text = utf8Text(joinPieces(this.carry));
      this.carry = [];
      this.sink.line(text, ++this.lineNo);
    }
  }

  /** `block` ends with a newline. */
  private emit(block: string): void {
    let p = 0;
    let e: number;
    while ((e = block.indexOf("\n", p)) >= 0) {
      this.sink.line(block.slice(p, e), ++this.lineNo);
      p = e + 1;
    }
  }
}
