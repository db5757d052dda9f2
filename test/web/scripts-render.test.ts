// Burmese, Khmer and Lao text renders as real glyphs in the web app, not as empty boxes. document.fonts.check() answers
// true for a font that is missing, so this measures instead: in the app's own font stack (as the page computes it),
// a canvas measures sample words of each script and compares them with what a row of code points without any glyph
// (private-use ones) looks like: boxes of one and the same width. A screenshot per language is kept for a human eye.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { DateTime } from 'luxon';
import type { BrowserContext } from 'playwright-core';
import { DEMO_USERS } from '../../seeders/data/users';
import { seedDemo } from '../../seeders/demo';
import { Instrument, User } from '../../src/db/models';
import { ensureWebBuilt, newContext, screenshot } from '../helpers/browser';
import { resetTables } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';

const SEM = 'Hitachi SU8230 FE-SEM'; // a Hanoi instrument of the demo

const webCatalog = (tag: string) => JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'src', 'i18n', 'catalogs', tag, 'web.json'), 'utf8')) as Record<string, string>;

// Sample words (with stacked consonants, vowel signs and tone marks) and distinct base letters of each script.
const SCRIPTS = [
  { tag: 'my', script: 'Myanmar', words: ['ကြိုတင်စာရင်းသွင်းမှု', 'ဓာတ်ခွဲခန်း', 'ပြုပြင်ထိန်းသိမ်းမှု'], letters: ['က', 'ခ', 'ဂ', 'င', 'စ', 'ည', 'မ', 'ဿ'] },
  { tag: 'km', script: 'Khmer', words: ['មន្ទីរពិសោធន៍', 'ការកក់របស់ខ្ញុំ', 'ឧបករណ៍'], letters: ['ក', 'ខ', 'គ', 'ង', 'ញ', 'ឋ', 'ម', 'ឡ'] },
  { tag: 'lo', script: 'Lao', words: ['ຫ້ອງທົດລອງ', 'ການຈອງຂອງຂ້ອຍ', 'ເຄື່ອງມື'], letters: ['ກ', 'ຂ', 'ງ', 'ຍ', 'ດ', 'ມ', 'ຫ', 'ໜ'] },
] as const;

interface Word {
  text: string;
  width: number;
  /** The same number of private-use code points: the row of boxes the word would be without a font. */
  sameCountOfBoxes: number;
  /** Each code point measured on its own: a box each when no font has it, varied advances when one does. */
  each: number[];
}

interface Measured {
  fontFamily: string;
  lang: string;
  /** Advance of one private-use code point (U+E000…): the empty box a code point without a glyph gets. */
  box: number;
  /** Advances of eight different private-use code points: all the same when they really are boxes. */
  boxes: number[];
  words: Word[];
  letters: number[];
  /** Unassigned code points: what missing glyphs measure, to prove the detector flags them. */
  unassigned: Word;
}

/** Runs in the page: measures in the font stack the page computes for its body text, at a size where boxes are wide. */
const MEASURE = `(sample) => {
  const fontFamily = getComputedStyle(document.body).fontFamily;
  const context = document.createElement('canvas').getContext('2d');
  context.font = '48px ' + fontFamily;
  const width = (text) => context.measureText(text).width;
  const privateUse = (count, from = 0) => String.fromCodePoint(...Array.from({ length: count }, (_, i) => 0xe000 + from + i));
  const unassigned = '\\u0378\\u0379\\u0380\\u0381\\u0382\\u0383\\u0e80';
  const word = (text) => ({ text, width: width(text), sameCountOfBoxes: width(privateUse([...text].length, 32)), each: [...text].map(width) });
  return {
    fontFamily,
    lang: document.documentElement.lang,
    box: width(privateUse(1)),
    boxes: Array.from({ length: 8 }, (_, i) => width(privateUse(1, 16 + i))),
    words: sample.words.map(word),
    letters: sample.letters.map(width),
    unassigned: word(unassigned),
  };
}`;

/** How many of a word's code points, measured alone, are exactly as wide as the empty box. */
const boxLike = (word: Word, box: number) => word.each.filter((w) => Math.abs(w - box) < 0.01).length;

describe('web app: Burmese, Khmer and Lao render as real glyphs', function () {
  this.timeout(60_000);
  let server: TestServer;
  let researcherId: number;
  let semId: number;
  let context: BrowserContext | undefined;

  before(async function () {
    this.timeout(240_000);
    ensureWebBuilt();
    const sequelize = await resetTables();
    await seedDemo(sequelize, { now: DateTime.now() });
    researcherId = (await User.findOne({ where: { email: DEMO_USERS.researcher }, raw: true }))!.id;
    semId = (await Instrument.findOne({ where: { name: SEM }, raw: true }))!.id;
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    await User.update({ locale: 'vi' }, { where: { id: researcherId } });
  });

  for (const { tag, script, words, letters } of SCRIPTS) {
    it(`shows the instrument page in ${script} (${tag}) with glyphs that do not measure like a row of empty boxes`, async () => {
      // The app takes its language from the profile's locale, as a person who chose it there would see it.
      await User.update({ locale: tag }, { where: { id: researcherId } });
      context = await newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      await page.waitForURL(/\/auth\/sign-in/);
      await page.getByRole('button', { name: /Nguyễn Thị Lan/ }).click();
      await page.waitForURL(`${server.url}/`);
      await page.getByRole('heading', { level: 1 }).waitFor(); // the home page has taken over from sign-in
      await page.goto(`${server.url}/instruments/${semId}`);
      await page.locator('.calendar').waitFor();
      const catalog = webCatalog(tag);
      await page.getByRole('heading', { name: catalog['instrument.rules'] }).waitFor();
      await page.locator('button.cell').first().waitFor();

      // The words measured include the page's own heading, as rendered, besides the fixed samples.
      const heading = (await page.getByRole('heading', { name: catalog['instrument.rules'] }).textContent())!;
      const measured = await page.evaluate<Measured>(`(${MEASURE})(${JSON.stringify({ words: [heading, ...words], letters })})`);
      await screenshot(page, `instrument-${tag}`);

      expect(measured.lang).to.equal(tag);
      expect(measured.fontFamily).to.match(new RegExp(`Noto Sans ${script}`), 'the app names the script\'s font in its stack');
      // The baseline really is the empty box: every private-use code point measures the same, and so do unassigned ones.
      expect(new Set(measured.boxes.map((w) => w.toFixed(2))).size, `private-use advances ${measured.boxes}`).to.equal(1);
      expect(measured.box).to.be.greaterThan(0);
      expect(boxLike(measured.unassigned, measured.box), 'unassigned code points measure as boxes').to.equal(measured.unassigned.each.length);

      for (const word of measured.words) {
        const detail = `${word.text}: ${word.width.toFixed(2)} px, its ${word.each.length} code points alone ${word.each.map((w) => w.toFixed(2)).join(' ')}; a box is ${measured.box.toFixed(2)} px`;
        expect(Math.abs(word.width - word.sameCountOfBoxes), detail).to.be.greaterThan(1);
        expect(boxLike(word, measured.box), detail).to.be.below(word.each.length / 4);
      }
      // Different letters get different advances; empty boxes all get one.
      const distinct = new Set(measured.letters.map((w) => w.toFixed(1)));
      expect(distinct.size, `advances of ${letters.join(' ')}: ${measured.letters.map((w) => w.toFixed(2)).join(', ')}`).to.be.at.least(2);
      expect(measured.letters.filter((w) => Math.abs(w - measured.box) < 0.5), 'letters as wide as a box').to.have.length.below(2);
    });
  }
});
