// Each job kind declares the events it handles; planning an event asks every kind that applies and nothing else.
import { expect } from 'chai';
import { config } from '../../src/config';
import type { BookingEventPayload, CommittedEvent } from '../../src/events/types';
import { JOB_KINDS, planJobs } from '../../jobs/kinds';
import { QUEUE_KEYS } from '../../jobs/queues';
import { jobSettings } from '../../jobs/settings';

const settings = jobSettings(config(), { reminderOffsetsMs: [3_600_000], usageGraceMs: 0 });
const NOW = Date.parse('2026-12-01T00:00:00Z');

function event(type: string, status: BookingEventPayload['status']): CommittedEvent {
  const payload: BookingEventPayload = {
    bookingId: 7, instrumentId: 3, userId: 5, status, previousStatus: null, start: '2026-12-03T02:00:00.000Z', end: '2026-12-03T04:00:00.000Z',
    version: 1, actorUserId: 5, note: null,
  };
  return { eventId: `e-${type}`, type, aggregateType: 'booking', payload: payload as unknown as Record<string, unknown>, createdAt: new Date(NOW) };
}

const queuesOf = (e: CommittedEvent) => planJobs(e, settings, NOW).map((j) => j.queue).sort();

describe('job kinds (jobs/kinds.ts)', () => {
  it('registers exactly one kind per queue', () => {
    expect(JOB_KINDS.map((k) => k.queue).sort()).to.deep.equal([...QUEUE_KEYS].sort());
  });

  it('plans a confirmed booking into its webhook fan-out, confirmation, reminder and usage log', () => {
    expect(queuesOf(event('booking.confirmed', 'CONFIRMED'))).to.deep.equal(['confirmations', 'reminders', 'usageLogs', 'webhooks']);
  });

  it('plans no reminder or usage log for a rescheduled booking that waits for approval again', () => {
    expect(queuesOf(event('booking.rescheduled', 'PENDING'))).to.deep.equal(['confirmations', 'webhooks']);
  });

  it('plans a completed booking into its webhook fan-out only (partners hear of it, nobody is e-mailed)', () => {
    expect(queuesOf(event('booking.completed', 'COMPLETED'))).to.deep.equal(['webhooks']);
  });

  it('derives every jobId from the event or the booking, so planning twice adds the same jobs', () => {
    const e = event('booking.confirmed', 'CONFIRMED');
    expect(planJobs(e, settings, NOW).map((j) => j.opts.jobId)).to.deep.equal(planJobs(e, settings, NOW).map((j) => j.opts.jobId));
  });
});
