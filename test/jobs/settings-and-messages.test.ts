import { expect } from 'chai';
import { jobSettings } from '../../jobs/settings';
import { ConfigError, loadConfig } from '../../src/config';
import { catalogFor, CATALOGS } from '../../src/notifications/locales';
import { renderMessage } from '../../src/notifications/messages';

describe('job settings and message texts (no database)', () => {
  it('reads reminder offsets, grace and webhook retries from the environment, in milliseconds', () => {
    const settings = jobSettings(loadConfig({ REMINDER_OFFSETS_MINUTES: '1440, 60,0.5', USAGE_GRACE_MINUTES: '15', WEBHOOK_ATTEMPTS: '3' }));
    expect(settings.reminderOffsetsMs).to.deep.equal([86_400_000, 3_600_000, 30_000]);
    expect(settings).to.include({ usageGraceMs: 900_000, webhookAttempts: 3 });
    expect(() => loadConfig({ REMINDER_OFFSETS_MINUTES: '1440,soon' })).to.throw(ConfigError, /REMINDER_OFFSETS_MINUTES/);
  });

  it('honours the slow-processor setting in tests only', () => {
    expect(jobSettings(loadConfig({ NODE_ENV: 'test', TEST_PROCESSOR_DELAY_MS: '500' })).processorDelayMs).to.equal(500);
    expect(jobSettings(loadConfig({ NODE_ENV: 'development', TEST_PROCESSOR_DELAY_MS: '500' })).processorDelayMs).to.equal(0);
  });

  it('picks the recipient\'s language, falling back to the same language, then English', () => {
    expect(catalogFor('zh-CN').locale).to.equal('zh-CN');
    expect(catalogFor('zh_cn').locale).to.equal('zh-CN');
    expect(catalogFor('zh-TW').locale).to.equal('zh-CN');
    expect(catalogFor('vi').locale).to.equal('en');
    expect(catalogFor(undefined).locale).to.equal('en');
  });

  it('has every message in every language', () => {
    const kinds = Object.keys(catalogFor('en').messages).sort();
    for (const catalog of CATALOGS) expect(Object.keys(catalog.messages).sort(), catalog.locale).to.deep.equal(kinds);
  });

  it('names times in the recipient\'s zone with the offset spelled out, half-hour zones included', () => {
    const facts = { instrument: 'NMR 600', lab: 'Yangon Lab', start: new Date('2026-12-03T02:30:00Z'), end: new Date('2026-12-03T04:00:00Z') };
    const yangon = renderMessage('confirmed', { name: 'Aung', email: 'a@x.test', locale: 'en', timeZone: 'Asia/Yangon' }, facts);
    expect(yangon.text).to.contain('09:00 (UTC+06:30)').and.contain('10:30 (UTC+06:30)');
    const shanghai = renderMessage('reminder', { name: '李雷', email: 'l@x.test', locale: 'zh-CN', timeZone: 'Asia/Shanghai' }, { ...facts, startsInMs: 86_400_000 });
    expect(shanghai.subject).to.equal('提醒：NMR 600将于24小时后开始');
    expect(shanghai.text).to.match(/^李雷，您好：/).and.contain('10:30 (UTC+08:00)');
  });
});
