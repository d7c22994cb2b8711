import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '@polyinfer/core/testing';
import type { Sample, TextItem } from './render-samples.js';
import { groundTruthOf, svgOf } from './render-samples.js';

/**
 * The OCR test set: 50 images in 14 categories, rendered from seeded text by this script, unlike the six samples
 * every heuristic was tuned on. It stays out of the tuning loop: tune on the six, report on these.
 *
 *   node benchmarks/dist/ocr-test-set.js DIR    (bench:ocr renders it into its cache by itself)
 */

export type Degradation = 'noise' | 'blur' | 'jpeg';
export interface TestImage extends Sample {
  category: string;
  degrade?: Degradation;
}

const WORDS = (
  'account after again almost answer apple around autumn basket before better bridge bright button camera candle ' +
  'careful center change circle coffee corner cotton country credit custom danger delivery desert dinner doctor ' +
  'double during early eleven engine evening factory family farmer filter finger flower forest friday garden ' +
  'general ginger golden ground harbor heavy hidden holiday honest island jacket kitchen ladder lemon letter ' +
  'little market matter middle minute modern monday morning motor museum nature number office orange paper ' +
  'parcel pencil people pepper planet pocket public purple quarter quick rabbit record river rocket saddle ' +
  'salmon second silver simple spring square station street summer sunday ticket timber travel tunnel velvet ' +
  'village violet voyage wallet window winter wonder yellow'
).split(' ');
const FONTS = ['DejaVu Sans', 'DejaVu Serif', 'DejaVu Sans Mono', 'DejaVu Sans Condensed'];

/** A seeded stream of choices, so the set is the same on every machine and every run. */
function chooser(seed: number) {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const sentence = (n: number): string => {
    const s = words(n);
    return `${s[0]?.toUpperCase()}${s.slice(1)}${pick(['.', '', ',', '!', '?', ''])}`;
  };
  return { random, int, pick, words, sentence };
}

const lines = (texts: string[], opts: { x: number; y: number; gap: number; size: number; font?: string }): TextItem[] =>
  texts.map((text, i) => ({
    text,
    x: opts.x,
    y: opts.y + i * opts.gap,
    size: opts.size,
    ...(opts.font ? { font: opts.font } : {}),
  }));

function page(category: string, index: number, items: TextItem[], extra: Partial<TestImage> = {}): TestImage {
  const width = extra.width ?? 820;
  const height = extra.height ?? Math.max(...items.map((t) => t.y)) + 50;
  return {
    name: `${category}-${index + 1}`,
    category,
    width,
    height,
    background: '#ffffff',
    color: '#141414',
    items,
    ...extra,
  };
}

/** Whether fontconfig has a face for Chinese (Debian: fonts-noto-cjk); without one the category renders as boxes. */
export function hasChineseFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

export function ocrTestSet(): TestImage[] {
  const c = chooser(20261201);
  const set: TestImage[] = [];
  for (let i = 0; i < 6; i++)
    set.push(
      page(
        'single-line',
        i,
        [{ text: c.sentence(c.int(2, 6)), x: 30, y: 60, size: c.pick([20, 26, 32, 40]), font: c.pick(FONTS) }],
        { height: 100 },
      ),
    );
  for (let i = 0; i < 4; i++)
    set.push(
      page(
        'paragraph',
        i,
        lines(
          Array.from({ length: c.int(4, 6) }, () => c.sentence(c.int(5, 7))),
          { x: 30, y: 50, gap: 42, size: 22, font: c.pick(FONTS) },
        ),
      ),
    );
  for (let i = 0; i < 4; i++) {
    const items: TextItem[] = [
      { text: c.words(2).toUpperCase(), x: 260, y: 60, size: 30, weight: 'bold', anchor: 'middle' },
    ];
    let total = 0;
    for (let row = 0; row < c.int(3, 5); row++) {
      const price = c.int(120, 2400) / 100;
      total += price;
      items.push(
        {
          text: c.sentence(c.int(1, 2)).replace(/[.,!?]$/, ''),
          x: 30,
          y: 130 + row * 44,
          size: 22,
          font: 'DejaVu Sans Mono',
        },
        { text: price.toFixed(2), x: 490, y: 130 + row * 44, size: 22, font: 'DejaVu Sans Mono', anchor: 'end' },
      );
    }
    const y = Math.max(...items.map((t) => t.y)) + 60;
    items.push(
      { text: 'TOTAL', x: 30, y, size: 26, font: 'DejaVu Sans Mono', weight: 'bold' },
      { text: total.toFixed(2), x: 490, y, size: 26, font: 'DejaVu Sans Mono', weight: 'bold', anchor: 'end' },
    );
    set.push(page('receipt', i, items, { width: 520, background: '#fbfaf5' }));
  }
  for (let i = 0; i < 4; i++)
    set.push(
      page(
        'light-on-dark',
        i,
        lines(
          Array.from({ length: c.int(2, 3) }, () => c.sentence(c.int(3, 6))),
          { x: 30, y: 60, gap: 56, size: 28, font: c.pick(FONTS) },
        ),
        {
          background: c.pick(['#101820', '#202a44', '#1d1d1d', '#3b1f2b']),
          color: c.pick(['#f5f5f5', '#ffe8a3', '#b8f2e6']),
        },
      ),
    );
  const colours: [string, string][] = [
    ['#fff3d6', '#b3261e'],
    ['#e6f4ea', '#0b6b3a'],
    ['#e8f0fe', '#1a4fb3'],
    ['#fde7f3', '#6a1b9a'],
  ];
  for (let i = 0; i < 4; i++)
    set.push(
      page(
        'colour',
        i,
        lines(
          Array.from({ length: 2 }, () => c.sentence(c.int(3, 5))),
          { x: 30, y: 60, gap: 56, size: 28 },
        ),
        { background: colours[i]?.[0] as string, color: colours[i]?.[1] as string },
      ),
    );
  for (let i = 0; i < 4; i++)
    set.push(
      page(
        'small-rotation',
        i,
        lines(
          Array.from({ length: 2 }, () => c.sentence(c.int(3, 5))),
          { x: 40, y: 80, gap: 60, size: 28 },
        ),
        { height: 230, rotate: c.pick([-8, -5, -3, 3, 5, 8]) },
      ),
    );
  for (let i = 0; i < 4; i++)
    set.push(
      page(
        'turned-page',
        i,
        lines(
          Array.from({ length: 3 }, () => c.sentence(c.int(3, 5))),
          { x: 30, y: 60, gap: 50, size: 26 },
        ),
        { rotate: i < 2 ? 180 : i === 2 ? 90 : 270 },
      ),
    );
  const degradations: Degradation[] = ['noise', 'noise', 'blur', 'blur', 'jpeg', 'jpeg'];
  for (const [i, degrade] of degradations.entries())
    set.push(
      page(
        'degraded',
        i,
        lines(
          Array.from({ length: 2 }, () => c.sentence(c.int(3, 5))),
          { x: 30, y: 60, gap: 54, size: 26, font: c.pick(FONTS) },
        ),
        { degrade },
      ),
    );
  for (let i = 0; i < 3; i++) {
    const digits = [
      `+44 ${c.int(1000, 9999)} ${c.int(100000, 999999)}`,
      `${c.int(1, 28)}/${c.int(1, 12)}/20${c.int(10, 39)}`,
      `Order ${c.int(10000, 99999)}-${c.int(100, 999)}`,
      `${c.int(1, 999)},${c.int(100, 999)}.${c.int(10, 99)} EUR`,
    ];
    set.push(page('digits', i, lines(digits, { x: 30, y: 50, gap: 46, size: 26, font: c.pick(FONTS) })));
  }
  const mixed = (): string =>
    [c.pick(WORDS), c.pick(WORDS), c.pick(WORDS)]
      .map((w, k) => (k === 0 ? w.toUpperCase() : `${w[0]?.toUpperCase()}${w.slice(1)}`))
      .join(c.pick(['', ' ', '-']));
  for (let i = 0; i < 3; i++)
    set.push(
      page(
        'mixed-case',
        i,
        lines(
          [
            mixed(),
            `${c.pick(['NASA', 'HTTP', 'USB', 'PDF', 'GPU'])} ${c.pick(WORDS)} ${mixed()}`,
            `iPhone ${c.pick(WORDS)} eBay ${c.pick(WORDS)}`,
          ],
          { x: 30, y: 55, gap: 50, size: 26 },
        ),
      ),
    );
  set.push(...documentPages());
  const chinese = [
    ['今天天气很好', '我们去公园散步'],
    ['欢迎光临本店', '营业时间上午九点'],
  ];
  if (!hasChineseFont()) {
    console.warn('ocr-test-set: no Chinese font (apt-get install fonts-noto-cjk): the 2 Chinese images are left out');
    return set;
  }
  for (const [i, texts] of chinese.entries())
    set.push(
      page('chinese', i, lines(texts, { x: 30, y: 60, gap: 60, size: 32, font: 'Noto Sans CJK SC' }), { width: 500 }),
    );
  return set;
}

/**
 * Pages with a layout: two-column prose, tables and forms, from a seed of their own (the images before them do not
 * change). Each column of a two-column page is its own ground-truth block, read after the one to its left.
 */
function documentPages(): TestImage[] {
  const c = chooser(20261207);
  const pages: TestImage[] = [];
  for (let i = 0; i < 2; i++) {
    const font = c.pick(FONTS.slice(0, 2));
    const column = (x: number, block: number): TextItem[] =>
      Array.from({ length: c.int(5, 7) }, (_, k) => ({
        text: c.sentence(c.int(4, 5)),
        x,
        y: 120 + k * 40,
        size: 20,
        font,
        block,
      }));
    pages.push(
      page(
        'two-column',
        i,
        [
          { text: c.words(3).toUpperCase(), x: 520, y: 60, size: 30, weight: 'bold', anchor: 'middle' },
          ...column(40, 1),
          ...column(540, 2),
        ],
        { width: 1040 },
      ),
    );
  }
  for (let i = 0; i < 2; i++) {
    const columns = [40, 360, 500, 680];
    const rows = [['Item', 'Qty', 'Price', 'Total']];
    for (let r = 0; r < c.int(3, 5); r++) {
      const qty = c.int(1, 40);
      const price = c.int(10, 2500) / 100;
      rows.push([c.words(2), String(qty), price.toFixed(2), (qty * price).toFixed(2)]);
    }
    pages.push(
      page(
        'table',
        i,
        rows.flatMap((cells, r) =>
          cells.map((text, k) => ({
            text,
            x: columns[k] as number,
            y: 60 + r * 48,
            size: 22,
            anchor: k === 0 ? ('start' as const) : ('end' as const),
            ...(r === 0 ? { weight: 'bold' as const } : {}),
          })),
        ),
        { width: 740 },
      ),
    );
  }
  for (let i = 0; i < 2; i++) {
    const fields: [string, string][] = [
      ['Name:', `${c.pick(WORDS)} ${c.pick(WORDS)}`.replace(/\b\w/g, (l) => l.toUpperCase())],
      ['Date:', `${c.int(1, 28)}/${c.int(1, 12)}/20${c.int(10, 39)}`],
      ['Street:', `${c.int(1, 99)} ${c.pick(WORDS)} road`],
      ['Reference:', `${c.int(1000, 9999)}-${c.int(100, 999)}`],
    ];
    pages.push(
      page('form', i, [
        { text: c.sentence(4).replace(/[.,!?]$/, ''), x: 40, y: 60, size: 28, weight: 'bold' },
        ...fields.flatMap(([label, value], r): TextItem[] => [
          { text: label, x: 40, y: 130 + r * 46, size: 22 },
          { text: value, x: 260, y: 130 + r * 46, size: 22, font: c.pick(FONTS) },
        ]),
      ]),
    );
  }
  return pages;
}

async function degrade(png: Buffer, how: Degradation | undefined, seed: number): Promise<Buffer> {
  if (how === 'blur') return sharp(png).blur(1.2).png().toBuffer();
  if (how === 'jpeg')
    return sharp(await sharp(png).jpeg({ quality: 25 }).toBuffer())
      .png()
      .toBuffer();
  if (how === 'noise') {
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const random = seededRandom(seed);
    for (let i = 0; i < data.length; i++)
      data[i] = Math.max(
        0,
        Math.min(255, (data[i] as number) + Math.round((random() + random() + random() - 1.5) * 60)),
      );
    return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
      .png()
      .toBuffer();
  }
  return png;
}

/** Writes the set's PNGs, `ground-truth.json` (lines as printed, reading order) and `categories.json` to `dir`. */
export async function renderTestSet(
  dir: string,
): Promise<{ truth: Record<string, string[]>; categories: Record<string, string> }> {
  await mkdir(dir, { recursive: true });
  const truth: Record<string, string[]> = {};
  const categories: Record<string, string> = {};
  for (const [i, image] of ocrTestSet().entries()) {
    const flat = await sharp(Buffer.from(svgOf(image)))
      .png()
      .toBuffer();
    const turned = image.rotate
      ? await sharp(flat).rotate(image.rotate, { background: image.background }).png().toBuffer()
      : flat;
    await writeFile(join(dir, `${image.name}.png`), await degrade(turned, image.degrade, i + 1));
    truth[`${image.name}.png`] = groundTruthOf(image);
    categories[`${image.name}.png`] = image.category;
  }
  await writeFile(join(dir, 'ground-truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  await writeFile(join(dir, 'categories.json'), `${JSON.stringify(categories, null, 2)}\n`);
  return { truth, categories };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? 'ocr-test-set';
  const { truth } = await renderTestSet(dir);
  console.log(`wrote ${Object.keys(truth).length} images, ground-truth.json and categories.json to ${dir}`);
}
