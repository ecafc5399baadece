import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CSV_HEADER, createRowWriter, type OutputFormat } from '../../src/cli/formats.js';
import { displayWidth } from '../../src/cli/terminal.js';
import type { FetchRow } from '../../src/http/types.js';

/** A Writable that keeps everything written, as text. */
function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  return Object.assign(w, { text: () => chunks.join('') });
}

async function render(format: OutputFormat, rows: FetchRow[], options = {}): Promise<string> {
  const out = sink();
  const writer = createRowWriter(format, out, options);
  for (const row of rows) await writer.write(row);
  await writer.end();
  return out.text();
}

const okRow: FetchRow = {
  url: 'https://example.com/',
  ok: true,
  status: 200,
  title: 'Hello, "world"\nagain',
  finalUrl: 'https://example.com/',
  redirects: 0,
  bytes: 1256,
  timeMs: 12.5,
  attempts: 1,
  error: null,
};

const errRow: FetchRow = {
  url: 'https://nxdomain.invalid/',
  ok: false,
  status: 0,
  title: null,
  finalUrl: null,
  redirects: 0,
  bytes: 0,
  timeMs: 3,
  attempts: 1,
  error: { code: 'dns', message: 'getaddrinfo ENOTFOUND nxdomain.invalid' },
};

const okJson =
  '{"url":"https://example.com/","ok":true,"status":200,"title":"Hello, \\"world\\"\\nagain",' +
  '"finalUrl":"https://example.com/","redirects":0,"bytes":1256,"timeMs":12.5,"attempts":1,"error":null}';
const errJson =
  '{"url":"https://nxdomain.invalid/","ok":false,"status":0,"title":null,"finalUrl":null,"redirects":0,' +
  '"bytes":0,"timeMs":3,"attempts":1,"error":{"code":"dns","message":"getaddrinfo ENOTFOUND nxdomain.invalid"}}';

describe('jsonl', () => {
  it('writes one object per line, fields in FetchRow order', async () => {
    assert.equal(await render('jsonl', [okRow, errRow]), `${okJson}\n${errJson}\n`);
  });

  it('writes nothing for zero rows', async () => {
    assert.equal(await render('jsonl', []), '');
  });

  it('adds the parsed body in JSON mode, null when absent, and drops unknown fields', async () => {
    const row = { ...errRow, json: { login: 'octocat' }, extra: 1 } as FetchRow;
    const [a, b] = (await render('jsonl', [row, errRow], { json: true })).trimEnd().split('\n');
    assert.deepEqual(JSON.parse(a).json, { login: 'octocat' });
    assert.equal(JSON.parse(a).extra, undefined);
    assert.equal(JSON.parse(b).json, null);
    assert.ok(!(await render('jsonl', [row])).includes('octocat'));
  });
});

describe('json', () => {
  it('writes a JSON array, one row per line', async () => {
    const text = await render('json', [okRow, errRow]);
    assert.equal(text, `[\n${okJson},\n${errJson}\n]\n`);
    assert.equal(JSON.parse(text).length, 2);
  });

  it('is a valid empty array with zero rows', async () => {
    const text = await render('json', []);
    assert.equal(text, '[]\n');
    assert.deepEqual(JSON.parse(text), []);
  });

  it('is valid when ended early (after one row)', async () => {
    assert.deepEqual(JSON.parse(await render('json', [errRow])), [JSON.parse(errJson)]);
  });
});

describe('csv', () => {
  it('writes the header and RFC 4180 records', async () => {
    assert.equal(
      await render('csv', [okRow, errRow]),
      `${CSV_HEADER}\n` +
        'https://example.com/,true,200,"Hello, ""world""\nagain",https://example.com/,0,1256,12.5,1,,\n' +
        'https://nxdomain.invalid/,false,0,,,0,0,3,1,dns,getaddrinfo ENOTFOUND nxdomain.invalid\n',
    );
    assert.equal(
      CSV_HEADER,
      'url,ok,status,title,final_url,redirects,bytes,time_ms,attempts,error_code,error_message',
    );
  });

  it('writes just the header for zero rows', async () => {
    assert.equal(await render('csv', []), `${CSV_HEADER}\n`);
  });

  it('adds a json column in JSON mode', async () => {
    const text = await render('csv', [{ ...errRow, ok: true, error: null, json: { a: 'x,y' } }], { json: true });
    const [header, record] = text.trimEnd().split('\n');
    assert.equal(header, `${CSV_HEADER},json`);
    assert.ok(record.endsWith(',,,"{""a"":""x,y""}"'), record);
  });
});

describe('table', () => {
  const longRow: FetchRow = {
    ...okRow,
    url: 'https://example.com/' + 'segment/'.repeat(30),
    title: '日本語のタイトルがとても長いのでここで切り詰められるはずです',
    timeMs: 1234,
  };

  // Layout changed by issue 10: the URL (shortened in the middle) before the title, which takes the rest.
  it('prints a header and one line per row, clipped to the width', async () => {
    const text = await render('table', [{ ...okRow, title: 'Example Domain' }, errRow, longRow], { columns: 80 });
    assert.equal(
      text,
      '    #  status    time  url                          title / error\n' +
        '    1     200   13 ms  https://example.com/         Example Domain\n' +
        '    2       -    3 ms  https://nxdomain.invalid/    dns getaddrinfo ENOTFOUND …\n' +
        '    3     200  1.23 s  example.com…egment/segment/  日本語のタイトルがとても長…\n',
    );
    for (const line of text.trimEnd().split('\n')) assert.ok(displayWidth(line) < 80, line);
  });

  it('fits narrow and wide terminals, taking the width from out.columns', async () => {
    for (const columns of [50, 100, 200]) {
      const out = Object.assign(sink(), { columns });
      const writer = createRowWriter('table', out);
      for (const row of [okRow, errRow, longRow]) await writer.write(row);
      await writer.end();
      for (const line of out.text().trimEnd().split('\n')) assert.ok(displayWidth(line) < columns, line);
    }
  });

  it('colours error codes red only when asked', async () => {
    const coloured = await render('table', [errRow], { columns: 80, color: true });
    assert.ok(coloured.includes('\x1b[31mdns\x1b[39m getaddrinfo'));
    assert.ok(!(await render('table', [errRow], { columns: 80 })).includes('\x1b'));
  });

  it('colours the status by class: 2xx green, 3xx cyan, 4xx yellow, 5xx and errors red', async () => {
    const rows: FetchRow[] = [
      okRow,
      { ...okRow, status: 304 },
      { ...okRow, ok: false, status: 404, error: { code: 'http', message: 'HTTP 404 Not Found' } },
      { ...okRow, ok: false, status: 503, error: { code: 'http', message: 'HTTP 503' } },
      errRow,
      { ...okRow, ok: false, status: 200, error: { code: 'bad_body', message: 'not JSON' } },
    ];
    const lines = (await render('table', rows, { columns: 100, color: true })).trimEnd().split('\n').slice(1);
    const colours = ['\x1b[32m   200', '\x1b[36m   304', '\x1b[33m   404', '\x1b[31m   503', '\x1b[31m     -', '\x1b[31m   200'];
    lines.forEach((line, i) => assert.ok(line.includes(colours[i]), `${JSON.stringify(line)} has ${JSON.stringify(colours[i])}`));
  });

  it('shortens long URLs in the middle: the host and the end of the path stay visible', async () => {
    const url = 'https://docs.example.com/' + 'section/'.repeat(12) + 'the-page-you-wanted.html';
    for (const columns of [80, 120, 200]) {
      const [, line] = (await render('table', [{ ...okRow, url }], { columns })).trimEnd().split('\n');
      assert.match(line, /docs\.example\.com…/);
      assert.match(line, columns >= 200 ? /the-page-you-wanted\.html  / : /anted\.html  /);
      assert.ok(displayWidth(line) < columns, line);
    }
  });

  it('measures wide and combining characters: emoji and CJK take two columns, accents none', async () => {
    const title = '🚀 ☕ 日本語 cafe\u0301 ' + 'x'.repeat(200);
    for (const columns of [80, 200]) {
      const text = await render('table', [{ ...okRow, title }, okRow], { columns });
      const lines = text.trimEnd().split('\n');
      assert.equal(displayWidth(lines[1]), columns - 1, lines[1]);
      // the title column starts at the same screen column on every line
      const start = (line: string): number => displayWidth(line.slice(0, line.indexOf(line.includes('🚀') ? '🚀' : 'Hello')));
      assert.equal(start(lines[1]), start(lines[2]));
    }
  });

  it('shows control characters as visible symbols, one line per row', async () => {
    const text = await render('table', [{ ...errRow, url: 'https://a/\u0000\u001b[2J', error: { code: 'invalid_url', message: 'bad\nurl' } }], {
      columns: 100,
    });
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines[1].includes('https://a/\u2400\u241b[2J'), lines[1]);
    assert.ok(lines[1].includes('invalid_url bad url'));
    assert.ok(!text.includes('\u001b'));
  });

  it('prints nothing for zero rows', async () => {
    assert.equal(await render('table', []), '');
  });
});

describe('backpressure and failures', () => {
  /** A slow Writable that buffers at most one byte before asking writers to wait. */
  function slowSink(): Writable & { text: () => string } {
    const chunks: string[] = [];
    const w = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString('utf8'));
        setTimeout(cb, 1);
      },
    });
    return Object.assign(w, { text: () => chunks.join('') });
  }

  for (const format of ['jsonl', 'csv', 'json', 'table'] as const) {
    it(`${format}: write waits for 'drain' when the buffer is full`, async () => {
      const out = slowSink();
      const writer = createRowWriter(format, out);
      for (let i = 0; i < 20; i++) {
        const pending = writer.write({ ...errRow, url: `https://h${i}.invalid/` });
        assert.ok(pending instanceof Promise, 'a full buffer must make write return a promise');
        await pending;
        // Drained: nothing left queued in the stream, so nothing piles up in memory.
        assert.equal(out.writableLength, 0);
      }
      await writer.end();
      assert.equal(out.writableLength, 0);
      assert.equal(out.text().split('https://h').length - 1, 20);
    });
  }

  it('batch: the same bytes as one write per row, in far fewer writes, and nothing held after end()', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({ ...okRow, url: `https://example.com/${i}`, title: `Caf\u00e9 ${i}` }));
    for (const format of ['jsonl', 'csv', 'json', 'table'] as const) {
      const plain = await render(format, rows);
      let writes = 0;
      const chunks: string[] = [];
      const out = new Writable({
        highWaterMark: 64 * 1024,
        write(chunk: Buffer, _enc, cb) {
          writes++;
          chunks.push(chunk.toString('utf8'));
          cb();
        },
      });
      const writer = createRowWriter(format, out, { batch: true });
      for (const row of rows) {
        const pending = writer.write(row);
        if (pending) await pending;
      }
      await writer.end();
      assert.equal(chunks.join(''), plain, format);
      assert.ok(writes < rows.length / 10, `${format}: ${writes} writes for ${rows.length} rows`);
    }
  });

  it('batch: rows held go out shortly without more rows or end()', async () => {
    const out = sink();
    const writer = createRowWriter('jsonl', out, { batch: true });
    assert.equal(writer.write(errRow), undefined);
    assert.equal(out.text(), '');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(out.text().split('\n').length, 2);
    await writer.end();
  });

  it('batch: a stream that is full makes write() wait, and a row bigger than a batch goes whole', async () => {
    const chunks: string[] = [];
    const out = new Writable({
      highWaterMark: 256,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString('utf8'));
        setTimeout(cb, 1);
      },
    });
    const writer = createRowWriter('jsonl', out, { batch: true });
    let waited = 0;
    const big = { ...okRow, title: 'x'.repeat(5000) };
    for (const row of [okRow, big, okRow, okRow, okRow, okRow]) {
      const pending = writer.write(row);
      if (pending) {
        waited++;
        await pending;
      }
    }
    await writer.end();
    assert.ok(waited > 0, 'backpressure applied');
    assert.equal(chunks.join('').split('\n').filter(Boolean).length, 6);
    assert.ok(chunks.join('').includes('x'.repeat(5000)));
  });

  it('does not wait when the stream has room', async () => {
    const writer = createRowWriter('jsonl', sink());
    assert.equal(writer.write(errRow), undefined);
  });

  it('rejects instead of hanging when the stream is destroyed while waiting', async () => {
    const out = slowSink();
    const writer = createRowWriter('jsonl', out);
    const pending = writer.write(errRow);
    assert.ok(pending instanceof Promise);
    out.destroy();
    await assert.rejects(pending);
    assert.throws(() => writer.write(errRow), /closed/);
  });

  it('reports a stream error (EPIPE) on the next write instead of crashing', async () => {
    const out = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const writer = createRowWriter('csv', out);
    // The failed write itself rejects (the stream refuses more data and never drains)...
    await assert.rejects(async () => writer.write(errRow), { code: 'EPIPE' });
    // ...and so does everything after it.
    assert.throws(() => writer.write(errRow), { code: 'EPIPE' });
    await assert.rejects(writer.end(), { code: 'EPIPE' });
  });

  it('refuses rows after end() and can end the stream when asked', async () => {
    const out = sink();
    const writer = createRowWriter('json', out, { endStream: true });
    await writer.end();
    assert.equal(out.writableFinished, true);
    assert.throws(() => writer.write(errRow), /ended/);
    await writer.end(); // idempotent
  });
});

describe('hostile text (issue 9 item 6)', () => {
  const hostile: FetchRow = {
    ...okRow,
    url: 'https://evil.test/\u001b]0;owned\u0007',
    title: '=HYPERLINK("http://evil.test","click")',
    error: null,
  };

  it('csv: formula-like cells get a leading quote by default (OWASP), raw with csvRaw', async () => {
    const starts = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'];
    const text = await render('csv', starts.map((title) => ({ ...okRow, title })));
    const cells = text.trimEnd().split('\n').slice(1).join('\n');
    for (const start of ['\'=1+1', '\'+1', '\'-1', '\'@SUM(A1)', '\'\tx', '"\'\rx"']) assert.ok(cells.includes(`,${start},`), `${JSON.stringify(start)} in ${JSON.stringify(cells)}`);
    const raw = await render('csv', [{ ...okRow, title: '=1+1' }], { csvRaw: true });
    assert.ok(raw.includes(',=1+1,'));
  });

  it('csv and jsonl to a terminal: control characters are shown, not obeyed', async () => {
    const csv = await render('csv', [hostile], { terminal: true });
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(csv.replace(/\n/g, '')), JSON.stringify(csv));
    assert.ok(csv.includes('\u241b]0;owned\u2407'));
    const c1 = { ...okRow, title: 'a\u009b2Jb\u202eevil' };
    const jsonl = await render('jsonl', [c1, hostile], { terminal: true });
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/.test(jsonl), JSON.stringify(jsonl));
    // the same data, still: a JSON reader gets the original strings back
    const [a, b] = jsonl.trimEnd().split('\n').map((line) => JSON.parse(line) as FetchRow);
    assert.equal(a.title, c1.title);
    assert.equal(b.url, hostile.url);
  });

  it('csv and jsonl to a file or pipe keep the bytes exactly', async () => {
    const jsonl = await render('jsonl', [{ ...okRow, title: 'a\u009bb' }]);
    assert.ok(jsonl.includes('a\u009bb'));
    const csv = await render('csv', [hostile]);
    assert.ok(csv.includes('\u001b]0;owned\u0007'));
  });
});
