import { toBytes } from '@gated/tensor';

/** What is kept of an e-mail for classification (see {@link emailToText}). */
export interface EmailText {
  /** The decoded `Subject:` header (RFC 2047 encoded words decoded), or ''. */
  readonly subject: string;
  /** The readable body: text parts decoded, HTML reduced to its text, attachments left out. */
  readonly body: string;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');
const decoders = new Map<string, InstanceType<typeof TextDecoder> | null>();
// Labels seen in the corpus that the WHATWG Encoding Standard does not know.
const CHARSET_ALIASES: Record<string, string> = { chinesebig5: 'big5', 'big5-hkscs': 'big5', 'x-gbk': 'gbk', 'x-euc-tw': 'big5' };

/**
 * Decodes bytes in `charset`. UTF-8 (declared, US-ASCII or undeclared) that is not valid UTF-8 falls back to
 * Windows-1252, as do unknown charsets: mail is often mislabelled.
 */
function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const label = (charset ?? '').trim().toLowerCase().replace(/^"|"$/g, '');
  if (label === '' || label === 'utf-8' || label === 'utf8' || label === 'us-ascii' || label === 'ascii') return decodeMailBytes(bytes);
  let d = decoders.get(label);
  if (d === undefined && CHARSET_ALIASES[label] !== undefined) d = new TextDecoder(CHARSET_ALIASES[label]);
  if (d === undefined) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = null;
    }
    decoders.set(label, d);
  }
  return (d ?? cp1252).decode(bytes);
}

/** Mail bytes of unknown charset: UTF-8 when they are valid UTF-8, otherwise Windows-1252 (a superset of Latin-1). */
export function decodeMailBytes(input: Uint8Array | ArrayBuffer): string {
  const bytes = toBytes('decodeMailBytes bytes', input);
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return cp1252.decode(bytes);
  }
}

// Parsing works on a "binary string" (one char per byte, Latin-1), so each part's bytes can be decoded in its own charset.
const toBinary = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
const fromBinary = (s: string): Uint8Array => Buffer.from(s, 'latin1');

interface Part {
  readonly headers: Map<string, string>;
  readonly body: string;
}

function parsePart(s: string): Part {
  const m = /\r?\n\r?\n/.exec(s);
  const head = m === null ? s : s.slice(0, m.index);
  const body = m === null ? '' : s.slice(m.index + m[0].length);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /\s/.test(line.slice(0, colon))) continue; // the mbox "From " line and junk
    const name = line.slice(0, colon).toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m === null ? undefined : (m[1] ?? m[2]);
}

function decodeQuotedPrintable(s: string): Uint8Array {
  return fromBinary(s.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))));
}

function decodeBase64(s: string): Uint8Array {
  return Buffer.from(s.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
}

/** Decodes a raw (binary) header value: RFC 2047 encoded words (`=?charset?Q|B?…?=`) in their charset, the rest as mail bytes. */
function decodeHeader(value: string, charset: string | undefined): string {
  const raw = (bin: string): string => {
    const bytes = fromBinary(bin);
    try {
      return utf8Strict.decode(bytes);
    } catch {
      return decodeCharset(bytes, charset); // raw 8-bit header: most likely in the message's charset
    }
  };
  const out: string[] = [];
  let last = 0;
  const words = /=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=/g;
  for (const m of value.matchAll(words)) {
    const between = value.slice(last, m.index);
    if (!(last > 0 && /^\s*$/.test(between))) out.push(raw(between)); // whitespace between encoded words is dropped
    const [, charset, enc, data] = m as unknown as [string, string, string, string];
    const bytes = enc.toUpperCase() === 'B' ? decodeBase64(data) : decodeQuotedPrintable(data.replace(/_/g, ' '));
    out.push(decodeCharset(bytes, charset.split('*')[0]));
    last = m.index + m[0].length;
  }
  out.push(raw(value.slice(last)));
  return out.join('');
}

const ENTITIES: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", copy: '©', reg: '®', trade: '™', mdash: '—', ndash: '–',
  hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', bull: '•', middot: '·', pound: '£', euro: '€', cent: '¢',
  yen: '¥', laquo: '«', raquo: '»', deg: '°', times: '×',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});?/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : ' ';
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

/** The visible text of an HTML document: scripts, styles and comments removed, tags to spaces/line breaks, entities decoded. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/?(?:br|p|div|tr|li|h[1-6]|table|title)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ');
  return decodeEntities(text);
}

function partText(part: Part, depth: number): string {
  const contentType = part.headers.get('content-type') ?? 'text/plain';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/') && depth < 8) {
    const boundary = param(contentType, 'boundary');
    if (boundary === undefined) return decodeMailBytes(fromBinary(part.body));
    const pieces = part.body.split(`--${boundary}`).slice(1);
    const children: { type: string; text: string }[] = [];
    for (const piece of pieces) {
      if (piece.startsWith('--')) break; // closing delimiter; the epilogue follows
      const child = parsePart(piece.replace(/^[ \t]*\r?\n/, ''));
      const childType = (child.headers.get('content-type') ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
      children.push({ type: childType, text: partText(child, depth + 1) });
    }
    if (type === 'multipart/alternative') {
      const plain = children.find((c) => c.type === 'text/plain' && c.text.trim() !== '');
      if (plain !== undefined) return plain.text;
    }
    return children.map((c) => c.text).filter((t) => t.trim() !== '').join('\n');
  }
  if (type === 'message/rfc822' && depth < 8) return partText(parsePart(part.body), depth + 1);
  if (!type.startsWith('text/') && type !== '') return ''; // images, attachments, application/*
  const charset = param(contentType, 'charset');
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  const bytes = encoding === 'quoted-printable' ? decodeQuotedPrintable(part.body) : encoding === 'base64' ? decodeBase64(part.body) : fromBinary(part.body);
  const body = decodeCharset(bytes, charset);
  return type === 'text/html' ? htmlToText(body) : body;
}

function tidyWhitespace(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0\u200b]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Reduces a raw e-mail (RFC 822 headers + MIME body) to what a spam classifier should see: the `Subject:` and
 * the readable body. Kept: the subject, `text/plain` parts (preferred inside `multipart/alternative`), `text/html`
 * parts reduced to their visible text, forwarded `message/rfc822` bodies; quoted-printable and base64 decoded in
 * the part's charset. Dropped: PGP signature blocks, every other header (`Received`, `From`, `To`, `X-Spam-*`, mailing-list headers —
 * they name the collecting servers and filters and would leak the label), attachments and non-text parts.
 * Whitespace runs are collapsed.
 */
export function emailToText(raw: string | Uint8Array | ArrayBuffer): EmailText {
  const part = parsePart(typeof raw === 'string' ? toBinary(new TextEncoder().encode(raw)) : toBinary(toBytes('emailToText raw', raw)));
  const body = partText(part, 0)
    .replace(/-----BEGIN PGP SIGNATURE-----[\s\S]*?-----END PGP SIGNATURE-----/g, ' ')
    .replace(/-----BEGIN PGP SIGNED MESSAGE-----\r?\n(?:Hash:[^\n]*\n)?/g, ' ');
  return { subject: tidyWhitespace(decodeHeader(part.headers.get('subject') ?? '', param(part.headers.get('content-type') ?? '', 'charset'))), body: tidyWhitespace(body) };
}
