import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { throttledLog } from '../src/throttled-log';

describe('throttledLog', () => {
  it('logs the first of a burst at once and the next one an interval later, with how many were left out', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const log = throttledLog(logger, 'warn', 'node error', 100);
    for (let i = 0; i < 50; i += 1) log({ node: 'a' });
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ level: 40, msg: 'node error', node: 'a' });
    expect(lines[0]).not.to.have.property('repeated');
    await sleep(120);
    log({ node: 'a' });
    expect(lines).to.have.length(2);
    expect(lines[1]).to.include({ level: 40, repeated: 49, intervalMs: 100 });
  });
});
