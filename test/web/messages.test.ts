// The web app's catalogs: every language has every key, every message is valid ICU that formats, and every code
// the API can send (error codes, booking statuses) has its message. A language added by the languages issue is
// one more folder in src/i18n/catalogs/ and is checked here without changing this test.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type EnumTypeDefinitionNode, type EnumTypeExtensionNode } from 'graphql';
import { createIntl } from 'react-intl';
import { loadTypeDefs } from '../../src/graphql/schema';
import { readCatalogFile } from '../../src/i18n/catalogs';

const DIR = path.resolve(__dirname, '..', '..', 'src', 'i18n', 'catalogs');
// readCatalogFile leaves out "@metadata" (who wrote and reviewed the catalog), as the web app does.
const catalogs = Object.fromEntries(
  fs.readdirSync(DIR).filter((tag) => fs.existsSync(path.join(DIR, tag, 'web.json'))).map((tag) => [tag, readCatalogFile(path.join(DIR, tag, 'web.json'))]),
);
const english = catalogs.en;

/** An enum's values, with those other SDL files add by `extend enum` (a series' SERIES_NOT_BOOKED). */
function enumValues(name: string): string[] {
  const nodes = parse(loadTypeDefs()).definitions.filter((d): d is EnumTypeDefinitionNode | EnumTypeExtensionNode =>
    (d.kind === Kind.ENUM_TYPE_DEFINITION || d.kind === Kind.ENUM_TYPE_EXTENSION) && d.name.value === name);
  return nodes.flatMap((node) => node.values?.map((v) => v.name.value) ?? []);
}

describe('web message catalogs', () => {
  it('has English and Simplified Chinese, each with exactly the English keys', () => {
    expect(Object.keys(catalogs)).to.include.members(['en', 'zh-CN']);
    for (const [language, messages] of Object.entries(catalogs)) {
      expect(Object.keys(messages).sort(), language).to.deep.equal(Object.keys(english).sort());
    }
  });

  it('formats every message of every language as ICU without an error', () => {
    // Sample values for every argument the catalogs use; a misspelt argument or broken plural fails to format.
    const values = { n: 2, count: 3, days: 30, hours: 2, name: 'N', zone: 'Asia/Yangon', offset: 'UTC+06:30', time: '09:00', span: 's', d: '1 h', min: 'a', max: 'b', when: 'w', instrument: 'I', day: 'Monday', country: 'TH', what: 'w', id: 'c', lab: 'L', names: 'A, B' };
    for (const [language, messages] of Object.entries(catalogs)) {
      const errors: string[] = [];
      const intl = createIntl({ locale: language, messages, onError: (e) => errors.push(`${e.message}`) });
      for (const id of Object.keys(messages)) intl.formatMessage({ id }, values);
      expect(errors, language).to.deep.equal([]);
    }
  });

  it('has a message for every error code and booking status the API can send', () => {
    const wanted = [...enumValues('UserErrorCode').map((c) => `error.code.${c}`), ...enumValues('BookingStatus').map((s) => `status.${s}`)];
    expect(wanted.filter((id) => !(id in english))).to.deep.equal([]);
  });
});
