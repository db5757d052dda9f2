// What an e-mail says and how: the recipient's language, both zones with offsets, the reference, links, both parts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { IntlMessageFormat } from 'intl-messageformat';
import { ConfigError, loadConfig, publicUrl } from '../../src/config';
import { bookingReference } from '../../src/notifications/booking-reference';
import { emailLanguage } from '../../src/notifications/email-catalog';
import { appLinks } from '../../src/notifications/links';
import { renderDigest, renderMessage, type MessageFacts } from '../../src/notifications/messages';

const links = appLinks('https://labshare.example.org/');
const facts: MessageFacts = {
  bookingId: 42, instrument: 'NMR 600', lab: 'Kunming Joint Lab', labTimeZone: 'Asia/Shanghai',
  start: new Date('2026-12-03T02:30:00Z'), end: new Date('2026-12-03T04:00:00Z'), requesterName: 'Nguyễn Thị Lan', purpose: 'Protein <samples> & buffers',
};
const CATALOGS = path.resolve(__dirname, '../../src/i18n/catalogs');

describe('e-mail messages (no database)', () => {
  it('gives every booking one short reference: Crockford base 32 of the id, at least four characters', () => {
    expect(bookingReference(42)).to.equal('LS-001A');
    expect(bookingReference(1)).to.equal('LS-0001');
    expect(bookingReference(32 ** 4)).to.equal('LS-10000');
    expect(new Set(Array.from({ length: 5000 }, (_, i) => bookingReference(i + 1))).size).to.equal(5000);
  });

  it("writes a Vietnamese confirmation in Vietnamese, with the recipient's and the lab's time and both offsets", () => {
    const m = renderMessage('confirmed', { name: 'Lan', email: 'lan@vnu.test', locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh' }, { ...facts, withInvite: true }, links);
    expect(m.language).to.equal('vi');
    expect(m.subject).to.match(/^Đã xác nhận lịch đặt: NMR 600, .*\(LS-001A\)$/);
    expect(m.text).to.contain('Kính gửi Lan,');
    expect(m.text).to.contain('Giờ của bạn: ').and.contain('09:30–11:00').and.contain('(Asia/Ho_Chi_Minh, UTC+07:00)');
    expect(m.text).to.contain('Giờ địa phương của phòng thí nghiệm: ').and.contain('10:30–12:00').and.contain('(Asia/Shanghai, UTC+08:00)');
    expect(m.text).to.contain('Xem lịch đặt: https://labshare.example.org/bookings?booking=42');
    expect(m.text).to.contain('https://labshare.example.org/profile');
  });

  it('asks a Thai manager in Thai, links to the request on the approvals page and says a link decides nothing', () => {
    const m = renderMessage('requestForManager', { name: 'สมชาย', email: 's@chula.test', locale: 'th-TH', timeZone: 'Asia/Bangkok' }, facts, links);
    expect(m.language).to.equal('th');
    expect(m.subject).to.match(/^รอการอนุมัติ: NMR 600, .*\(LS-001A\)$/);
    expect(m.text).to.contain('Nguyễn Thị Lan ขอจอง NMR 600 ที่ Kunming Joint Lab');
    expect(m.text).to.contain('(Asia/Bangkok, UTC+07:00)').and.contain('(Asia/Shanghai, UTC+08:00)');
    expect(m.text).to.contain('พิจารณาคำขอ: https://labshare.example.org/approvals?booking=42');
    expect(m.text).to.contain('การเปิดลิงก์เพียงอย่างเดียวจะไม่ตัดสินสิ่งใด');
  });

  it('makes an accessible HTML part: lang and dir, a real heading, a table of facts, escaped text, dark-on-white colours', () => {
    const m = renderMessage('requestForManager', { name: 'Wang <Fang>', email: 'w@x.test', locale: 'zh-CN', timeZone: 'Asia/Shanghai' }, facts, links);
    expect(m.html).to.match(/^<!DOCTYPE html>\n<html lang="zh-CN" dir="ltr">/);
    expect(m.html).to.match(/<h1[^>]*>有一项预约申请需要您审批<\/h1>/);
    expect(m.html).to.contain('<th scope="row"');
    expect(m.html).to.contain('Wang &lt;Fang&gt;').and.contain('Protein &lt;samples&gt; &amp; buffers').and.not.contain('<samples>');
    expect(m.html).to.contain('href="https://labshare.example.org/approvals?booking=42"');
    expect(m.html).not.to.contain('<img');
    expect(m.html).to.contain('color:#1a1a1a').and.contain('background:#ffffff');
  });

  it('names both offsets of a span that crosses a daylight-saving change, and half-hour zones as they are', () => {
    const acrossDst = renderMessage('confirmed', { name: 'A', email: 'a@x.test', locale: 'en', timeZone: 'Europe/Berlin' },
      { ...facts, labTimeZone: 'Asia/Yangon', start: new Date('2026-10-25T00:00:00Z'), end: new Date('2026-10-25T02:00:00Z') }, links);
    expect(acrossDst.text).to.contain('(UTC+02:00)').and.contain('(UTC+01:00), Europe/Berlin');
    expect(acrossDst.text).to.contain('(Asia/Yangon, UTC+06:30)');
  });

  it('says how soon a reminder is, with plurals in English', () => {
    const m = renderMessage('reminder', { name: 'A', email: 'a@x.test', locale: 'en', timeZone: 'UTC' }, { ...facts, startsInMs: 3_600_000 }, links);
    expect(m.subject).to.equal('Reminder: NMR 600 starts in 1 hour (LS-001A)');
    const zh = renderMessage('reminder', { name: '李雷', email: 'l@x.test', locale: 'zh-CN', timeZone: 'Asia/Shanghai' }, { ...facts, startsInMs: 86_400_000 }, links);
    expect(zh.subject).to.equal('提醒：NMR 600将于24 小时后开始（LS-001A）');
  });

  it('lists every waiting request in a digest, each with its reference, both times and its own link', () => {
    const items = [7, 9].map((id) => ({ ...facts, bookingId: id, requesterName: `R${id}`, purpose: '' }));
    const m = renderDigest({ name: 'Somchai', email: 's@x.test', locale: 'en', timeZone: 'Asia/Bangkok' }, items, links);
    expect(m.subject).to.equal('2 booking requests wait for your decision');
    expect(m.text).to.contain('LS-0007: NMR 600 in Kunming Joint Lab, requested by R7').and.contain('approvals?booking=9');
    expect(m.html.match(/<h2/g)).to.have.length(2);
  });

  it('picks the language from the locale, then the same language, then English', () => {
    expect(emailLanguage('vi-VN')).to.equal('vi');
    expect(emailLanguage('zh-Hans-CN')).to.equal('zh-CN');
    expect(emailLanguage('de')).to.equal('en');
    expect(emailLanguage(undefined)).to.equal('en');
  });

  it('has every English e-mail message, with its placeholders, in each written catalog, and every message compiles', () => {
    const en = JSON.parse(readFileSync(path.join(CATALOGS, 'en', 'email.json'), 'utf8')) as Record<string, unknown>;
    const placeholders = (message: string) => new Set([...message.matchAll(/\{(\w+)\s*[,}]/g)].map((m) => m[1]));
    const written = readdirSync(CATALOGS).filter((tag) => readdirSync(path.join(CATALOGS, tag)).includes('email.json'));
    expect(written).to.include.members(['en', 'zh-CN', 'th', 'vi']);
    for (const tag of written) {
      const catalog = JSON.parse(readFileSync(path.join(CATALOGS, tag, 'email.json'), 'utf8')) as Record<string, unknown>;
      expect(catalog['@metadata'], tag).to.have.keys('language', 'translator', 'review');
      expect(Object.keys(catalog).sort(), tag).to.deep.equal(Object.keys(en).sort());
      for (const [key, message] of Object.entries(catalog)) {
        if (key === '@metadata') continue;
        expect(() => new IntlMessageFormat(message as string, tag), `${tag} ${key}`).not.to.throw();
        for (const name of placeholders(en[key] as string)) expect(message as string, `${tag} ${key}`).to.contain(`{${name}`);
      }
    }
  });

  it('validates PUBLIC_URL at start-up, requires it in production, and defaults to the server itself elsewhere', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'labshare.example.org' })).to.throw(ConfigError, /PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://labshare.example.org' })).to.throw(ConfigError, /PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://labshare.example.org/?x=1' })).to.throw(ConfigError, /PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://labshare.example.org/#top' })).to.throw(ConfigError, /PUBLIC_URL/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(ConfigError, /PUBLIC_URL.*required in production/);
    expect(publicUrl(loadConfig({ PUBLIC_URL: 'https://labshare.example.org/lab/' }))).to.equal('https://labshare.example.org/lab');
    expect(publicUrl(loadConfig({ PORT: '4100' }))).to.equal('http://localhost:4100');
  });
});
