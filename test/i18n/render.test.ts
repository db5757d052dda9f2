// Messages are rendered at the edge from the ICU catalogs; the domain only names a code, a field and parameters. The
// language is chosen once per request: profile locale, else Accept-Language, else English.
import { expect } from 'chai';
import { fallbackChain, liveLocales } from '../../src/i18n/catalogs';
import { acceptedLanguages, chooseLocale } from '../../src/i18n/choose-locale';
import { formatMessage, render } from '../../src/i18n/render';

describe('the message renderer (src/i18n/render.ts)', () => {
  it('picks the sentence by reason, and the code\'s own sentence for a reason it does not know', () => {
    expect(render('en', 'BAD_INPUT', { reason: 'NOTE_TOO_LONG', max: 2000 })).to.equal('A note may be at most 2,000 characters long.');
    expect(render('en', 'BAD_INPUT', { reason: 'NO_SUCH_REASON' })).to.equal('This input is not valid.');
    expect(render('en', 'NOT_FOUND', { what: 'labManager' })).to.equal('That user does not manage this lab.');
  });

  it('renders a language without an errors catalog through its fallback chain, in English', () => {
    const params = { reason: 'STATUS', status: 'CANCELLED', action: 'APPROVE' };
    expect(fallbackChain('vi')).to.deep.equal(['vi', 'en']);
    expect(fallbackChain('de')).to.deep.equal(['de', 'en']);
    expect(render('de', 'INVALID_STATE', params)).to.equal('A cancelled booking cannot be approved.');
    expect(render('zh-CN', 'INVALID_STATE', params)).to.equal('状态为已取消的预约不能批准。');
  });

  it('names instants in the zone the parameters give, with their offset, in every language', () => {
    const start = Date.parse('2026-12-03T00:30:00Z');
    expect(render('en', 'TOO_SOON', { reason: 'IN_THE_PAST', start, zone: 'Asia/Yangon' })).to.equal('Starts at 2026-12-03 07:00 (+06:30), which is in the past.');
    expect(render('zh-CN', 'TOO_SOON', { reason: 'IN_THE_PAST', start, zone: 'Asia/Yangon' })).to.equal('开始于 2026-12-03 07:00 (+06:30)，该时间已经过去。');
  });

  it('joins lists as each language does and counts them for plurals', () => {
    const hour = 3_600_000;
    const t = Date.parse('2026-03-02T03:00:00Z');
    const spans = [{ start: t, end: t + hour }, { start: t + 2 * hour, end: t + 3 * hour }];
    expect(render('en', 'CONFLICT', { spans, bufferMinutes: 0, zone: 'Asia/Bangkok' })).to.equal(
      'Overlaps existing bookings from 2026-03-02 10:00 (+07:00) to 2026-03-02 11:00 (+07:00) and 2026-03-02 12:00 (+07:00) to 2026-03-02 13:00 (+07:00).',
    );
    expect(render('zh-CN', 'CONFLICT', { spans: spans.slice(0, 1), bufferMinutes: 15, zone: 'Asia/Bangkok' })).to.equal(
      '与已有预约重叠：2026-03-02 10:00 (+07:00) 至 2026-03-02 11:00 (+07:00)（该仪器每次预约后需空出 15 分钟）。',
    );
    expect(render('en', 'BAD_INPUT', { reason: 'NOT_A_HOLIDAY_REGION', value: 'XX', country: 'MY', known: ['JHR', 'KDH', 'SGR'] })).to.equal('"XX" is not a holiday region of MY; expected one of JHR, KDH, or SGR.');
    expect(render('zh-CN', 'BAD_INPUT', { reason: 'NOT_A_HOLIDAY_REGION', value: 'XX', country: 'MY', known: [] })).to.equal('“XX”不是 MY 的假日地区；该国没有地区性假日。');
  });

  it('cuts an echoed input to 60 characters and never fails: a missing parameter falls back, then the code itself', () => {
    expect(render('en', 'BAD_INPUT', { reason: 'NOT_A_DOMAIN', value: 'x'.repeat(5000) })).to.equal(`"${'x'.repeat(60)}…" is not a domain name.`);
    expect(render('en', 'TOO_SHORT', {})).to.equal('TOO_SHORT');
    expect(render('en', 'BAD_INPUT', { reason: 'NOTE_TOO_LONG' })).to.equal('This input is not valid.');
  });

  it('formats sign-in words with ICU plurals', () => {
    expect(formatMessage('en', 'sign-in', 'signIn.linkSent', { minutes: 1 })).to.match(/for 1 minute\.$/);
    expect(formatMessage('en', 'sign-in', 'signIn.linkSent', { minutes: 15 })).to.match(/for 15 minutes\.$/);
    expect(formatMessage('zh-CN', 'sign-in', 'signIn.demoPerson', { role: 'manager', institution: '朱拉隆功大学' })).to.equal('实验室管理员，朱拉隆功大学');
  });
});

describe('choosing the language (src/i18n/choose-locale.ts)', () => {
  it('reads Accept-Language by quality, leaving out q=0 and *', () => {
    expect(acceptedLanguages('th;q=0.5, ms-MY, *;q=0.9, vi;q=0, en;q=0.7')).to.deep.equal(['ms-MY', 'en', 'th']);
    expect(acceptedLanguages(undefined)).to.deep.equal([]);
    expect(acceptedLanguages('x'.repeat(100_000))).to.have.length(1);
  });

  it('takes the profile locale, else the closest live Accept-Language, else English', () => {
    const live = liveLocales().map((l) => l.tag);
    expect(live).to.include.members(['en', 'zh-CN', 'id', 'ms']);
    expect(chooseLocale({ profile: 'id', acceptLanguage: 'ms' })).to.equal('id');
    expect(chooseLocale({ profile: null, acceptLanguage: 'de-DE, ms-MY;q=0.8, en;q=0.5' })).to.equal('ms');
    expect(chooseLocale({ acceptLanguage: 'zh-Hans-CN' })).to.equal('zh-CN');
    expect(chooseLocale({ profile: 'de', acceptLanguage: 'fr' })).to.equal('en');
    expect(chooseLocale({ explicit: 'zh-CN', profile: 'id' })).to.equal('zh-CN');
  });
});
