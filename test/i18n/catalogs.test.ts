// The catalogs stay complete: every language folder under src/i18n/catalogs and every area English has (web, errors,
// email, sign-in) is checked here, so a new language or area is covered without editing this test.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, type EnumTypeDefinitionNode, type EnumTypeExtensionNode } from 'graphql';
import { parse as parseIcu, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { catalogDirectory, METADATA_KEY, readCatalogFile, type Messages } from '../../src/i18n/catalogs';
import { LOCALES } from '../../src/i18n/locales';
import { loadTypeDefs } from '../../src/graphql/schema';

const DIR = catalogDirectory();
const languages = readdirSync(DIR).filter((tag) => statSync(path.join(DIR, tag)).isDirectory());
const areas = readdirSync(path.join(DIR, 'en')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
const fileOf = (tag: string, area: string) => path.join(DIR, tag, `${area}.json`);
const catalogs: { tag: string; area: string; messages: Messages }[] = languages.flatMap((tag) =>
  areas.filter((area) => existsSync(fileOf(tag, area))).map((area) => ({ tag, area, messages: readCatalogFile(fileOf(tag, area)) })),
);
const english = (area: string) => catalogs.find((c) => c.tag === 'en' && c.area === area)!.messages;

interface Argument {
  name: string;
  kind: 'text' | 'number' | 'date' | 'select';
  options: string[];
}

/** Every argument a message uses, in every branch of its plurals and selects. */
function argumentsOf(elements: MessageFormatElement[], found = new Map<string, Argument>()): Map<string, Argument> {
  for (const el of elements) {
    if (el.type === TYPE.argument) found.set(el.value, found.get(el.value) ?? { name: el.value, kind: 'text', options: [] });
    if (el.type === TYPE.number || el.type === TYPE.plural) found.set(el.value, { name: el.value, kind: 'number', options: [] });
    if (el.type === TYPE.date || el.type === TYPE.time) found.set(el.value, { name: el.value, kind: 'date', options: [] });
    if (el.type === TYPE.select) found.set(el.value, { name: el.value, kind: 'select', options: Object.keys(el.options) });
    if (el.type === TYPE.plural || el.type === TYPE.select) for (const option of Object.values(el.options)) argumentsOf(option.value, found);
    if (el.type === TYPE.tag) argumentsOf(el.children, found);
  }
  return found;
}

function sampleValue(arg: Argument): string | number | Date {
  if (arg.kind === 'number') return 2;
  if (arg.kind === 'date') return new Date(Date.UTC(2026, 11, 3, 2, 30));
  if (arg.kind === 'select') return 'other';
  return `‹${arg.name}›`;
}

/** The error codes and the reasons (or, for NOT_FOUND, the things) the code can send with a sentence, read from src/. */
function userErrorSentences(): { code: string; sentence: string }[] {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return full.endsWith(`${path.sep}i18n`) || name === 'generated' ? [] : files(full);
      return full.endsWith('.ts') ? [full] : [];
    });
  const found: { code: string; sentence: string }[] = [];
  for (const file of files(path.resolve(__dirname, '../../src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bbad(?:Input)?\((?:[^,()]+(?:\([^)]*\))?, )?'([A-Z][A-Z_]+)'/g)) found.push({ code: 'BAD_INPUT', sentence: m[1] });
    for (const m of text.matchAll(/\bnew InvalidAvailabilityQuery\('([A-Z][A-Z_]+)'/g)) found.push({ code: 'BAD_USER_INPUT', sentence: m[1] });
    for (const m of text.matchAll(/\bnotFound(?:\([^,()]+, (?:[\w.]+ \?\? )?|: )'([a-z][A-Za-z]+)'/g)) found.push({ code: 'NOT_FOUND', sentence: m[1] });
    // Other codes give `reason: ...` in their params (a literal or a choice of literals): each reason belongs to the
    // nearest `code: '...'` in its file, or to any code where the file names none (a policy's refusal reasons).
    const codes = [...text.matchAll(/\bcode: '([A-Z_]+)'/g)].map((m) => ({ code: m[1], at: m.index }));
    for (const m of text.matchAll(/\breason: ([^,;}\n]+)/g)) {
      const nearest = codes.sort((a, b) => Math.abs(a.at - m.index) - Math.abs(b.at - m.index))[0];
      for (const literal of m[1].matchAll(/'([A-Z][A-Z_]+)'/g)) found.push({ code: nearest?.code ?? '*', sentence: literal[1] });
    }
  }
  return found;
}

/** An enum's values, with those other SDL files add by `extend enum` (a series' SERIES_NOT_BOOKED). */
function enumValues(name: string): string[] {
  const nodes = parse(loadTypeDefs()).definitions.filter((d): d is EnumTypeDefinitionNode | EnumTypeExtensionNode =>
    (d.kind === Kind.ENUM_TYPE_DEFINITION || d.kind === Kind.ENUM_TYPE_EXTENSION) && d.name.value === name);
  return nodes.flatMap((node) => node.values?.map((v) => v.name.value) ?? []);
}

describe('message catalogs: complete in every language and area', () => {
  it('finds the languages and areas on disk: English and Simplified Chinese complete, every folder a known language', () => {
    expect(areas).to.include.members(['web', 'errors', 'sign-in']);
    for (const tag of ['en', 'zh-CN']) for (const area of areas) expect(existsSync(fileOf(tag, area)), `${tag}/${area}.json`).to.equal(true);
    expect(languages.filter((tag) => !LOCALES.some((l) => l.tag === tag))).to.deep.equal([]);
  });

  it('gives every catalog exactly the English keys', () => {
    for (const { tag, area, messages } of catalogs) {
      const wanted = Object.keys(english(area)).sort();
      const have = Object.keys(messages).sort();
      expect({ missing: wanted.filter((k) => !have.includes(k)), extra: have.filter((k) => !wanted.includes(k)) }, `${tag}/${area}.json`).to.deep.equal({ missing: [], extra: [] });
    }
  });

  it('keeps every argument of the English message in each translation, and adds none', () => {
    const problems: string[] = [];
    for (const { tag, area, messages } of catalogs) {
      for (const [id, message] of Object.entries(messages)) {
        const source = english(area)[id];
        if (source === undefined) continue;
        try {
          const wanted = [...argumentsOf(parseIcu(source)).keys()].sort();
          const have = [...argumentsOf(parseIcu(message)).keys()].sort();
          if (wanted.join() !== have.join()) problems.push(`${tag}/${area} ${id}: has {${have.join('} {')}}, English {${wanted.join('} {')}}`);
        } catch (error) {
          problems.push(`${tag}/${area} ${id}: does not parse (${(error as Error).message})`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('compiles every message and formats it, down every select branch, with sample values', () => {
    const problems: string[] = [];
    for (const { tag, area, messages } of catalogs) {
      for (const [id, message] of Object.entries(messages)) {
        try {
          const args = [...argumentsOf(parseIcu(message)).values()];
          const values = Object.fromEntries(args.map((a) => [a.name, sampleValue(a)]));
          const format = new IntlMessageFormat(message, tag);
          const variants = [values, ...args.flatMap((a) => a.options.map((option) => ({ ...values, [a.name]: option })))];
          for (const variant of variants) {
            const text = format.format(variant);
            if (typeof text !== 'string' || !text.trim()) throw new Error('formats to nothing');
          }
        } catch (error) {
          problems.push(`${tag}/${area} ${id}: ${(error as Error).message}`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('states in each catalog that declares "@metadata" which language it is and who wrote and reviewed it', () => {
    for (const tag of languages) {
      for (const area of areas.filter((a) => existsSync(fileOf(tag, a)))) {
        const metadata = (JSON.parse(readFileSync(fileOf(tag, area), 'utf8')) as Record<string, unknown>)[METADATA_KEY] as Record<string, unknown> | undefined;
        if (tag === 'en' || tag === 'zh-CN') expect(metadata, `${tag}/${area}.json`).to.be.an('object');
        if (!metadata) continue;
        expect(metadata.language, `${tag}/${area}.json`).to.equal(tag);
        expect(metadata.translator, `${tag}/${area}.json`).to.be.a('string').and.not.equal('');
        expect(metadata.review, `${tag}/${area}.json`).to.be.a('string').and.not.equal('');
      }
    }
  });

  it('has an English message for every UserErrorCode of the contract and every reason the code can send', () => {
    const errors = english('errors');
    const codes = enumValues('UserErrorCode');
    expect(codes.filter((code) => !(`error.${code}` in errors))).to.deep.equal([]);
    const sentences = userErrorSentences();
    expect(sentences.filter((s) => s.code === 'BAD_INPUT').length).to.be.greaterThan(50);
    expect(sentences.filter((s) => s.code === 'NOT_FOUND').length).to.be.greaterThan(10);
    const missing = sentences.filter(({ code, sentence }) =>
      code === '*' ? !codes.some((c) => `error.${c}.${sentence}` in errors) : !(`error.${code}.${sentence}` in errors),
    );
    expect(missing).to.deep.equal([]);
    // And no message for a code the API does not send: UserErrorCode, or a GraphQL refusal's code (DomainErrorCode).
    const refusals = [...(/export type DomainErrorCode = ([^;]+);/.exec(readFileSync(path.resolve(__dirname, '../../src/errors.ts'), 'utf8'))?.[1] ?? '').matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(refusals).to.include('BAD_USER_INPUT');
    expect(Object.keys(errors).filter((id) => ![...codes, ...refusals].includes(id.split('.')[1]))).to.deep.equal([]);
  });
});
