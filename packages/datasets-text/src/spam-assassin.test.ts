import { initBackend } from '@gated/tensor';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { emailToText, htmlToText } from './email-text.js';
import { loadSpamAssassin, loadSpamClassification, type SpamEmail } from './spam-assassin.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('emailToText', () => {
  it('keeps the subject and the plain body, dropping every other header', () => {
    const raw = 'From someone@example.com  Thu Aug 22 2002\nReturn-Path: <x@spamassassin.taint.org>\nReceived: from a\n\tby b\nSubject: Hello\n  there\nX-Spam-Status: No\n\nBody line one.\n\n\n\nBody   line two.\n';
    expect(emailToText(raw)).toEqual({ subject: 'Hello there', body: 'Body line one.\n\nBody line two.' });
  });

  it('decodes quoted-printable and base64 parts in their charset, and RFC 2047 subjects', () => {
    const qp = 'Subject: =?iso-8859-1?Q?Caf=E9_ouvert?=\nContent-Type: text/plain; charset="iso-8859-1"\nContent-Transfer-Encoding: quoted-printable\n\nna=EFve soft=\nbreak';
    expect(emailToText(qp)).toEqual({ subject: 'Café ouvert', body: 'naïve softbreak' });
    const b64 = `Subject: =?utf-8?B?${Buffer.from('Grüße').toString('base64')}?=\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from('schöne Grüße').toString('base64')}\n`;
    expect(emailToText(b64)).toEqual({ subject: 'Grüße', body: 'schöne Grüße' });
  });

  it('prefers text/plain in multipart/alternative, reduces HTML to text, and drops attachments', () => {
    const raw = [
      'Subject: offer',
      'Content-Type: multipart/mixed; boundary="OUTER"',
      '',
      'preamble',
      '--OUTER',
      'Content-Type: multipart/alternative; boundary=INNER',
      '',
      '--INNER',
      'Content-Type: text/plain',
      '',
      'plain version',
      '--INNER',
      'Content-Type: text/html',
      '',
      '<p>html version</p>',
      '--INNER--',
      '--OUTER',
      'Content-Type: image/gif',
      'Content-Transfer-Encoding: base64',
      '',
      'R0lGODlhAQABAAAAACw=',
      '--OUTER',
      'Content-Type: text/html; charset=us-ascii',
      '',
      '<html><head><style>p{color:red}</style></head><body><b>Buy</b>&nbsp;now &amp; save<br>today<!-- hidden --></body></html>',
      '--OUTER--',
      'epilogue',
    ].join('\n');
    expect(emailToText(raw)).toEqual({ subject: 'offer', body: 'plain version\n\nBuy now & save\ntoday' });
  });

  it('decodes HTML entities, numeric ones included', () => {
    expect(htmlToText('&lt;a&gt; &#233;&#x41; &bogus;')).toBe('<a> éA &bogus;');
  });

  it('removes PGP signature blocks', () => {
    const raw = 'Subject: s\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\nsigned text\n-----BEGIN PGP SIGNATURE-----\niQA/AwUBPXNFo76\n-----END PGP SIGNATURE-----\n';
    expect(emailToText(raw).body).toBe('signed text');
  });
});

describe('SpamAssassin corpus', () => {
  let emails: SpamEmail[];
  beforeAll(async () => {
    emails = await loadSpamAssassin();
  });

  it('loads all 6,046 messages from the installed package: 4,150 ham and 1,896 spam', () => {
    expect(emails.length).toBe(6046);
    expect(emails.filter((e) => e.label === 'ham').length).toBe(4150);
    expect(emails.filter((e) => e.label === 'spam').length).toBe(1896);
    const first = emails.find((e) => e.id === 'spam-1/00001')!;
    expect(first.subject).toBe('Life Insurance - Why Pay More?');
    expect(first.body.startsWith('Save up to 70% on Life Insurance.')).toBe(true);
  });

  it('keeps no transport headers and no HTML markup of HTML-only spam', () => {
    for (const e of emails) expect(e.text).not.toMatch(/^(Return-Path|Delivered-To|X-Spam-Status):/);
    const htmlSpam = emails.find((e) => e.id === 'spam-1/00001')!;
    expect(htmlSpam.text).not.toMatch(/<(html|table|td|font)\b/i);
    expect(htmlSpam.text).not.toContain('=3D');
  });

  it('decodes 8-bit mail in its declared charset (Big5 spam)', () => {
    expect(emails.find((e) => e.id === 'spam-2/00006')!.subject).toContain('信用卡');
  });

  it('builds the spam/ham task: deduplicated, stratified, word ids with lengths, spam = class 1', async () => {
    const task = await loadSpamClassification({ maxLen: 200, seed: 1, batchSize: 64 });
    expect(task.classNames).toEqual(['ham', 'spam']);
    expect(task.duplicates).toBeGreaterThan(0);
    const total = (c: number[]) => c[0]! + c[1]!;
    expect(total(task.counts.train) + total(task.counts.validation) + total(task.counts.test)).toBe(6046 - task.duplicates - task.empty);
    for (const split of ['train', 'validation', 'test'] as const) {
      expect(task.counts[split][1]! / total(task.counts[split])).toBeCloseTo(task.counts.train[1]! / total(task.counts.train), 1);
    }
    const texts = new Set(task.indices.train.map((i) => task.emails[i]!.text));
    for (const i of task.indices.test) expect(texts.has(task.emails[i]!.text)).toBe(false);
    expect(task.vocabSize).toBe(20000);
    const before = tf.memory().numTensors;
    const { value } = await task.validation[Symbol.asyncIterator]().next();
    const { x, y, lengths } = value as { x: tf.Tensor; y: tf.Tensor; lengths: tf.Tensor };
    expect(x.shape[0]).toBe(64);
    expect(x.shape[1]).toBeLessThanOrEqual(200);
    expect(Math.max(...(lengths.arraySync() as number[]))).toBe(x.shape[1]);
    expect(Math.min(...(lengths.arraySync() as number[]))).toBeGreaterThan(0);
    expect(y.dtype).toBe('int32');
    tf.dispose([x, y, lengths]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
