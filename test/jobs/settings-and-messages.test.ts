import { expect } from 'chai';
import { jobSettings } from '../../jobs/settings';
import { ConfigError, loadConfig } from '../../src/config';

describe('job settings (no database)', () => {
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

});
