// Pruning by name, before anything is opened: the AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
// folders and the `_YYYYMMDDTHHMMZ_` delivery stamp of CloudTrail file names tell which accounts,
// regions and times a file can hold.
//
// A file stamped T holds events from before T: CloudTrail delivers about every 5 minutes, usually
// within 15 minutes of the call, but not always. trailq keeps a margin of DELIVERY_MARGIN_MS. The
// stamp is the minute of the delivery, so a file stamped T (T:00) is taken to hold events in
// [T − margin, T + 1 min) (stampSpan); a day folder D (the stamps' date) events in [D − margin,
// D + 24 h). A file or folder is pruned only when that span misses the range.
// Files not named as CloudTrail names its files (cloudtrail.ts: trustedStamp), and so files without a
// stamp, are never pruned by their own name; a folder of the layout outside the selection is not
// listed, whatever it holds (cloudtrail.ts: layoutParts says what the layout is; an account folder
// that is not 12 digits, a region folder that is no region's name, are not).
import path from "node:path";
import { layoutParts, trustedStamp } from "./cloudtrail.js";

export const DELIVERY_MARGIN_MS = 60 * 60 * 1000;
/** The stamp in a file name is a minute: the delivery came within the 60 s after it. */
const STAMP_MINUTE_MS = 60 * 1000;

/** The events a file stamped `stamp` is taken to hold, in epoch ms: from `lo` to `hi`, both inclusive. */
export function stampSpan(stamp: number): { lo: number; hi: number } {
  return { lo: stamp - DELIVERY_MARGIN_MS, hi: stamp + STAMP_MINUTE_MS - 1 };
}

export interface Selection {
  /** Inclusive epoch-ms range of the events wanted. */
  start?: number;
  end?: number;
  accounts?: string[];
  regions?: string[];
}

export class Pruner {
  constructor(private readonly sel: Selection) {}

  get active(): boolean {
    const s = this.sel;
    return s.start !== undefined || s.end !== undefined || !!s.accounts?.length || !!s.regions?.length;
  }

  private outside(from: number, to: number): boolean {
    const { start = -Infinity, end = Infinity } = this.sel;
    return to < start || from > end;
  }

  /** Whether a folder (absolute path) is of another account or region than those asked for. */
  elsewhere(absPath: string): boolean {
    const l = layoutParts(absPath);
    if (!l) return false;
    if (l.account !== undefined && this.sel.accounts?.length && !this.sel.accounts.includes(l.account)) return true;
    return l.region !== undefined && !!this.sel.regions?.length && !this.sel.regions.includes(l.region);
  }

  /** Whether a folder (absolute path) can be skipped without listing it. */
  dir(absPath: string): boolean {
    const l = layoutParts(absPath);
    if (!l) return false;
    if (this.elsewhere(absPath)) return true;
    const [y, m, d] = l.ymd;
    if (y === undefined) return false;
    const from = Date.UTC(y, (m ?? 1) - 1, d ?? 1);
    const to = d !== undefined ? Date.UTC(y, m! - 1, d + 1) : m !== undefined ? Date.UTC(y, m, 1) : Date.UTC(y + 1, 0, 1);
    return this.outside(from - DELIVERY_MARGIN_MS, to - 1);
  }

  /**
   * Whether a file can be skipped without opening it: by its stamp, and the folders it is in. A file
   * not named as CloudTrail names its files (trustedStamp: an export, a renamed file, one with a
   * stamp of its own making) is always opened.
   */
  file(absPath: string): boolean {
    const t = trustedStamp(path.basename(absPath));
    if (t === undefined) return false;
    const { lo, hi } = stampSpan(t);
    return this.outside(lo, hi) || this.dir(path.dirname(absPath));
  }
}
