import { FerryError } from '../../core/ferry-error';
import { TextDecoder } from 'node:util';

/**
 * How names travel on one site's control connection and in its listings. basic-ftp only knows
 * Node's few Buffer encodings, so the wire is read and written as 'latin1' (one char per byte)
 * and this converts between those bytes and text.
 */
export interface FtpCharset {
  /** Canonical name (WHATWG), e.g. 'utf-8', 'windows-1252', 'shift_jis'; 'iso-8859-1' is true Latin-1. */
  readonly name: string;
  /** Decodes bytes the server sent. */
  decode(bytes: Buffer): string;
  /** Encodes text for the server; throws 'invalid-request' for a character the charset lacks. */
  encode(text: string): Buffer;
}

/** Two-byte charsets whose encoder is built from the decoder (leads 0x81-0xFE, trails 0x40-0xFE). */
const DOUBLE_BYTE = new Set(['shift_jis', 'euc-jp', 'euc-kr', 'gbk', 'gb18030', 'big5']);
/** Labels of true ISO-8859-1 (WHATWG would read them as windows-1252). */
const LATIN1 = new Set(['latin1', 'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'l1', 'cp819', 'ibm819']);

export const SUPPORTED_CHARSETS_TEXT =
  'utf-8, iso-8859-1, the single-byte charsets (windows-1250 to 1258, iso-8859-2 to 16, koi8-r, koi8-u, ibm866, macintosh, windows-874), shift_jis, euc-jp, euc-kr, gbk, gb18030, big5';

/**
 * windows-1252 at 0x80-0x9F. Node 20's TextDecoder('windows-1252') reads these bytes as Latin-1
 * (0x80 -> U+0080, not the euro sign), so this charset is decoded from Latin-1 plus this table.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
].map((cp) => String.fromCharCode(cp));

function decodeCp1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

const cache = new Map<string, FtpCharset>();

/** The charset for a site's label (default utf-8); unknown or unusable labels are a clear 'invalid-request'. */
export function resolveCharset(label: string | undefined): FtpCharset {
  const key = (label ?? '').trim().toLowerCase() || 'utf-8';
  let charset = cache.get(key);
  if (!charset) {
    charset = build(key, label ?? key);
    cache.set(key, charset);
  }
  return charset;
}

function build(key: string, label: string): FtpCharset {
  if (LATIN1.has(key)) return fromTable('iso-8859-1', (bytes) => bytes.toString('latin1'));
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(key === 'utf8' ? 'utf-8' : key);
  } catch {
    throw new FerryError('invalid-request', `the charset "${label.slice(0, 40)}" is unknown; supported: ${SUPPORTED_CHARSETS_TEXT}`);
  }
  const name = decoder.encoding;
  const decode = name === 'windows-1252' ? decodeCp1252 : (bytes: Buffer): string => decoder.decode(bytes);
  if (name === 'utf-8') return { name, decode, encode: (text) => Buffer.from(text, 'utf8') };
  if (DOUBLE_BYTE.has(name)) return fromTable(name, decode, true);
  if (name === 'windows-1252' || isSingleByte(decoder)) return fromTable(name, decode);
  throw new FerryError('invalid-request', `the charset "${label.slice(0, 40)}" cannot be used for FTP; supported: ${SUPPORTED_CHARSETS_TEXT}`);
}

/** Every byte decodes alone to one character, and ASCII stays ASCII (so CR, LF and spaces are what they seem). */
function isSingleByte(decoder: TextDecoder): boolean {
  for (let b = 0; b < 256; b++) {
    const text = decoder.decode(Buffer.of(b));
    if (text.length !== 1 || (b < 0x80 && text.charCodeAt(0) !== b)) return false;
  }
  return true;
}

/** An encoder built by decoding every byte sequence once (lazily, ~20 ms for gb18030). */
function fromTable(name: string, decode: (bytes: Buffer) => string, doubleByte = false): FtpCharset {
  let table: Map<string, Buffer> | undefined;
  const encodeChar = (ch: string, text: string): Buffer => {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) return Buffer.of(cp);
    table ??= reverseTable(decode, doubleByte, name);
    const bytes = table.get(ch) ?? (name === 'gb18030' ? gb18030Supplementary(cp) : undefined);
    if (!bytes) throw new FerryError('invalid-request', `"${text.slice(0, 80)}" holds "${ch}", which the charset ${name} cannot represent`);
    return bytes;
  };
  return {
    name,
    decode,
    encode(text) {
      // Plain ASCII (commands, most paths) needs no table.
      if (!/[^\p{ASCII}]/u.test(text)) return Buffer.from(text, 'latin1');
      const parts: Buffer[] = [];
      for (const ch of text) parts.push(encodeChar(ch, text));
      return Buffer.concat(parts);
    },
  };
}

function reverseTable(decode: (bytes: Buffer) => string, doubleByte: boolean, name: string): Map<string, Buffer> {
  const table = new Map<string, Buffer>();
  const add = (bytes: Buffer): void => {
    const text = decode(bytes);
    // The first sequence in byte order wins for a character with two (a round trip decodes the same).
    if (text.length >= 1 && [...text].length === 1 && text !== '\ufffd' && !table.has(text)) table.set(text, Buffer.from(bytes));
  };
  // GB18030 reads 0x80 as the euro sign for compatibility but writes it as A2 E3.
  for (let b = 0x80; b < 256; b++) if (name !== 'gb18030' || b !== 0x80) add(Buffer.of(b));
  if (!doubleByte) return table;
  const pair = Buffer.alloc(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    // Shift_JIS: the NEC-selected IBM extensions (leads 0xED, 0xEE) duplicate 0xFA-0xFC and are never written.
    if (name === 'shift_jis' && (lead === 0xed || lead === 0xee)) continue;
    pair[0] = lead;
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      pair[1] = trail;
      add(pair);
    }
  }
  if (name === 'gb18030') {
    const quad = Buffer.alloc(4);
    for (let b1 = 0x81; b1 <= 0x84; b1++)
      for (let b2 = 0x30; b2 <= 0x39; b2++)
        for (let b3 = 0x81; b3 <= 0xfe; b3++)
          for (let b4 = 0x30; b4 <= 0x39; b4++) {
            quad[0] = b1;
            quad[1] = b2;
            quad[2] = b3;
            quad[3] = b4;
            add(quad);
          }
  }
  return table;
}

/** GB18030 four-byte form of a code point above U+FFFF (a linear range from 0x90308130). */
function gb18030Supplementary(cp: number): Buffer | undefined {
  if (cp < 0x10000 || cp > 0x10ffff) return undefined;
  let pointer = cp - 0x10000 + 189000;
  const b4 = pointer % 10;
  pointer = Math.floor(pointer / 10);
  const b3 = pointer % 126;
  pointer = Math.floor(pointer / 126);
  const b2 = pointer % 10;
  const b1 = Math.floor(pointer / 10);
  return Buffer.of(b1 + 0x81, b2 + 0x30, b3 + 0x81, b4 + 0x30);
}
