// Clipping text for a terminal: never wider than asked, never a broken character, the ends that matter kept.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { visibleText } from '../../src/cli/controls.js';
import { clipEnd, clipUrl, displayWidth, padEndColumns } from '../../src/cli/terminal.js';

// Text a page title or URL may hold: ASCII, accents (combining too), CJK, emoji with modifiers and joiners.
const pieces = ['a', 'Z', '/', '.', ' ', 'é', 'e\u0301', '日', '本', '🚀', '☕', '👍🏽', '👩‍💻', 'ß', '-', '?', '='];
const text = fc.array(fc.constantFrom(...pieces), { maxLength: 80 }).map((p) => p.join(''));
const graphemes = (s: string): string[] => Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s), (g) => g.segment);

describe('clipEnd and clipUrl', () => {
  it('property: the result fits the width and is made of whole graphemes of the input', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 60 }), (s, width) => {
        for (const clipped of [clipEnd(s, width), clipUrl(`https://h.example/${s}`, width)]) {
          assert.ok(stringWidth(clipped) <= width, `${JSON.stringify(clipped)} wider than ${width}`);
          for (const g of graphemes(clipped)) assert.ok(g === '…' || `https://h.example/${s}`.includes(g), g);
        }
        if (stringWidth(s) <= width) assert.equal(clipEnd(s, width), s, 'what fits is kept whole');
      }),
      { seed: 10, numRuns: 300 },
    );
  });

  it('keeps the host and the end of the path of a long URL', () => {
    assert.equal(clipUrl('https://example.com/a/very/long/path/to/page.html', 32), 'https://example.com…to/page.html');
    assert.equal(clipUrl('http://127.0.0.1:36245/charset/windows-1251', 29), '127.0.0.1:36245…/windows-1251');
    assert.equal(clipUrl('https://short/', 40), 'https://short/');
  });

  it('pads by columns, not by code units', () => {
    assert.equal(displayWidth(padEndColumns('日本', 6)), 6);
    assert.equal(displayWidth(padEndColumns('cafe\u0301', 6)), 6);
    assert.equal(displayWidth('🚀 ☕'), 5);
  });
});

describe('visibleText', () => {
  it('property: no control character survives, and safe text is unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const shown = visibleText(s);
        assert.doesNotMatch(shown, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        if (!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(s)) assert.equal(shown, s);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
