// The API speaks the reader's language: a user's profile locale, else the request's Accept-Language, else English.
// Only `message` changes with the language; codes and fields never do. Holiday names come in the reader's language
// where date-holidays has them.
import { expect } from 'chai';
import { Interval } from 'luxon';
import { createApiKey } from '../../src/access/api-keys';
import { fixedClock } from '../../src/clock';
import { User } from '../../src/db/models';
import type { UserRow } from '../../src/db/rows';
import { liveLocales } from '../../src/i18n/catalogs';
import { publicHolidays } from '../../src/scheduling/public-holidays';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { bearer, startTestServer, type TestServer } from '../helpers/server';

const REQUEST = `mutation($input: RequestBookingInput!) {
  requestBooking(input: $input) { booking { id } errors { code field message } }
}`;
const AVAILABILITY = `query($ids: [ID!]!, $from: DateTime!, $to: DateTime!) { availability(instrumentIds: $ids, from: $from, to: $to) { free { start } } }`;
const HOLIDAYS = `query($id: ID!, $from: LocalDate!, $to: LocalDate!) { lab(id: $id) { holidays(from: $from, to: $to) { date kind reason } } }`;
const UPDATE_LOCALE = `mutation($locale: String!) { updateProfile(input: { locale: $locale }) { user { locale } errors { code field message } } }`;

describe('the API in the reader’s language', () => {
  let server: TestServer;
  let labId: string;
  let instrumentId: string;
  let indonesian: UserRow;
  let english: UserRow;
  let chinese: UserRow;
  let admin: UserRow;

  before(async () => {
    await resetTables();
    server = await startTestServer({ clock: fixedClock('2026-12-01T00:00:00Z') });
    const lab = await makeLab({ countryCode: 'CN', timeZone: 'Asia/Shanghai', observesPublicHolidays: true });
    labId = String(lab.id);
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '08:00', to: '20:00' }]);
    instrumentId = String((await makeInstrument({ labId: lab.id, slotMinutes: 60, minMinutes: 60 })).id);
    indonesian = await makeUser({ locale: 'id', timeZone: 'Asia/Jakarta' });
    english = await makeUser({ locale: 'en', timeZone: 'Asia/Jakarta' });
    chinese = await makeUser({ locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    admin = await makeUser({ isAdmin: true, institutionId: lab.institutionId });
  });

  after(async () => {
    await server?.close();
  });

  // 09:30–10:00 Shanghai: off the 60-minute grid and shorter than the 60-minute minimum.
  const offGridAndShort = { input: { instrumentId: '', start: '2026-12-03T09:30:00+08:00', end: '2026-12-03T10:00:00+08:00' } };
  const request = async (user: UserRow, headers: Record<string, string> = {}) =>
    (await server.gql(REQUEST, { input: { ...offGridAndShort.input, instrumentId } }, { ...(await bearer(user.id)), ...headers })).data!.requestBooking;

  it('says a booking’s errors in Indonesian to a user whose profile locale is id, whatever the browser asks, with the codes and fields of English', async () => {
    const inIndonesian = await request(indonesian, { 'accept-language': 'ms, en;q=0.5' });
    const inEnglish = await request(english);
    expect(inIndonesian.booking).to.equal(null);
    expect(inIndonesian.errors.map((e: { code: string; field: string }) => [e.code, e.field])).to.deep.equal(inEnglish.errors.map((e: { code: string; field: string }) => [e.code, e.field]));
    expect(inIndonesian.errors.map((e: { code: string }) => e.code)).to.have.members(['NOT_ALIGNED', 'TOO_SHORT']);
    const message = (errors: { code: string; message: string }[], code: string) => errors.find((e) => e.code === code)!.message;
    expect(message(inIndonesian.errors, 'TOO_SHORT')).to.equal('Berlangsung 30 menit; minimumnya 60 menit.');
    expect(message(inIndonesian.errors, 'NOT_ALIGNED')).to.equal(
      'Dimulai pada 2026-12-03 08:30 (+07:00), tidak sesuai dengan kisi waktu 60 menit laboratorium (waktu laboratorium di Asia/Shanghai).',
    );
    expect(message(inEnglish.errors, 'TOO_SHORT')).to.equal('Lasts 30 minutes; the minimum is 60 minutes.');
  });

  it('says the availability API’s refusals in Malay to a partner system that sends Accept-Language: ms, and in English without it', async () => {
    const { key } = await createApiKey({ kind: 'USER', userId: admin.id, institutionId: admin.institutionId, isAdmin: true, timeZone: 'UTC', locale: 'en' }, {
      institutionId: admin.institutionId, name: 'Malaysian partner portal', scopes: ['availability:read'],
    });
    const ids = Array.from({ length: 101 }, (_, i) => String(i + 1));
    const range = { ids, from: '2026-12-03T00:00:00+08:00', to: '2026-12-04T00:00:00+08:00' };
    const inMalay = await server.gql(AVAILABILITY, range, { authorization: `ApiKey ${key}`, 'accept-language': 'ms-MY,ms;q=0.9,en;q=0.8' });
    const inEnglish = await server.gql(AVAILABILITY, range, { authorization: `ApiKey ${key}` });
    expect(inMalay.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    expect(inEnglish.errors?.[0].extensions?.code).to.equal('BAD_USER_INPUT');
    expect(inMalay.errors?.[0].message).to.equal('Minta paling banyak 100 instrumen pada satu masa (diterima: 101).');
    expect(inEnglish.errors?.[0].message).to.equal('Ask for at most 100 instruments at a time (got 101).');
  });

  it('names a Chinese lab’s public holidays in Chinese to a zh-CN reader and in English to an English one', async () => {
    const range = { id: labId, from: '2026-01-01', to: '2026-02-18' };
    const inChinese = (await server.gql(HOLIDAYS, range, await bearer(chinese.id))).data!.lab.holidays;
    const inEnglish = (await server.gql(HOLIDAYS, range, await bearer(english.id))).data!.lab.holidays;
    expect(inChinese.map((d: { date: string }) => d.date)).to.deep.equal(inEnglish.map((d: { date: string }) => d.date));
    const on = (days: { date: string; reason: string }[], date: string) => days.find((d) => d.date === date)?.reason;
    expect(on(inChinese, '2026-01-01')).to.equal('元旦');
    expect(on(inChinese, '2026-02-17')).to.equal('春节');
    expect(on(inEnglish, '2026-01-01')).to.equal("New Year's Day");
    expect(on(inEnglish, '2026-02-17')).to.equal('Spring Festival');

    // And a booking refused on one quotes it in the same language.
    const newYear = { input: { instrumentId, start: '2027-01-01T09:00:00+08:00', end: '2027-01-01T10:00:00+08:00' } };
    const refused = (await server.gql(REQUEST, newYear, await bearer(chinese.id))).data!.requestBooking;
    expect(refused.errors).to.deep.equal([{ code: 'HOLIDAY', field: 'start', message: '实验室于 2027-01-01（元旦）关闭（按实验室日历，Asia/Shanghai）。' }]);
  });

  it('falls back to the English name where date-holidays has none in the reader’s language, never to the country’s own', () => {
    const january = Interval.fromISO('2026-01-01T00:00:00+08:00/2026-02-18T00:00:00+08:00');
    const inThai = publicHolidays('CN', undefined, january, 'Asia/Shanghai', 'th');
    expect(inThai.find((d) => d.date === '2026-01-01')?.reason).to.equal('วันขึ้นปีใหม่');
    expect(inThai.find((d) => d.date === '2026-02-17')?.reason).to.equal('Spring Festival');
    expect(publicHolidays('CN', undefined, january, 'Asia/Shanghai', 'zh-CN').find((d) => d.date === '2026-02-17')?.reason).to.equal('春节');
  });

  it('serves the sign-in page in the browser’s language (Accept-Language by quality), ?lang= first, English otherwise', async () => {
    const page = async (query: string, acceptLanguage?: string) => {
      const res = await fetch(`${server.url}/auth/sign-in${query}`, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
      return res.text();
    };
    const chinese = await page('', 'de;q=0.9, zh-Hans-CN, en;q=0.5');
    expect(chinese).to.contain('<html lang="zh-CN">').and.contain('<title>登录 LabShare</title>').and.contain('name="lang" value="zh-CN"');
    expect(await page('?lang=en', 'zh-CN')).to.contain('<html lang="en">').and.contain('<title>Sign in to LabShare</title>');
    expect(await page('', 'fr-FR')).to.contain('<html lang="en">');
  });

  it('keeps a profile locale only among the languages LabShare has, refusing others with a list of them in the reader’s language', async () => {
    const live = liveLocales().map((l) => l.tag);
    const refused = (await server.gql(UPDATE_LOCALE, { locale: 'de-DE' }, await bearer(english.id))).data!.updateProfile;
    expect(refused.user).to.equal(null);
    expect(refused.errors).to.have.length(1);
    expect(refused.errors[0]).to.include({ code: 'BAD_INPUT', field: 'locale' });
    expect(refused.errors[0].message).to.match(/^"de-DE" is not a language LabShare offers; choose one of /);
    for (const tag of live) expect(refused.errors[0].message).to.contain(tag);
    const inChinese = (await server.gql(UPDATE_LOCALE, { locale: 'klingon' }, await bearer(chinese.id))).data!.updateProfile;
    expect(inChinese.errors[0]).to.include({ code: 'BAD_INPUT', field: 'locale' });
    expect(inChinese.errors[0].message).to.match(/^“klingon”不是 LabShare 提供的语言；请从以下语言中选择：en、zh-CN/);
    expect((await User.findByPk(english.id, { raw: true }))!.locale).to.equal('en');

    const accepted = (await server.gql(UPDATE_LOCALE, { locale: 'zh-cn' }, await bearer(english.id))).data!.updateProfile;
    expect(accepted).to.deep.equal({ user: { locale: 'zh-CN' }, errors: [] });
    await User.update({ locale: 'en' }, { where: { id: english.id } });
  });
});
