import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { DateTime } from 'luxon';
import type { UserViewer } from '../../src/access/viewer';
import { cancelBookingSeries, requestBookingSeries } from '../../src/booking';
import { WebhookSubscription } from '../../src/db/models';
import type { InstrumentRow, LabRow, UserRow } from '../../src/db/rows';
import { bookingReference } from '../../src/notifications/booking-reference';
import { resetTables } from '../helpers/db';
import { EVERY_DAY, makeBooking, makeInstitution, makeInstrument, makeLab, makeUser, setHours } from '../helpers/factories';
import { icsLines, obliterateQueues, readMailbox, startTestPipeline, startWebhookReceiver, waitFor, type TestPipeline, type WebhookReceiver } from './support';

const BERLIN = 'Europe/Berlin';
const asViewer = (u: UserRow): UserViewer => ({ kind: 'USER', userId: u.id, institutionId: u.institutionId, isAdmin: Boolean(u.isAdmin), timeZone: u.timeZone, locale: u.locale });
const local = (d: DateTime) => d.setZone(BERLIN).toFormat("yyyyMMdd'T'HHmmss");

describe('series e-mail and webhooks (MariaDB + Redis)', function () {
  this.timeout(40_000);
  let pipeline: TestPipeline;
  let receiver: WebhookReceiver;
  let lab: LabRow;
  let instrument: InstrumentRow;
  let researcher: UserRow;
  let first: DateTime;

  beforeEach(async () => {
    await resetTables();
    await obliterateQueues();
    receiver = await startWebhookReceiver();
    lab = await makeLab({ timeZone: BERLIN, countryCode: 'DE', name: 'Crystallography Core' });
    await setHours({ labId: lab.id }, [{ weekdays: EVERY_DAY, from: '00:00', to: '24:00' }]);
    instrument = await makeInstrument({ labId: lab.id, name: 'Bruker D8 Venture' });
    const institution = await makeInstitution({ name: 'Universität Heidelberg', countryCode: 'DE', timeZone: BERLIN });
    researcher = await makeUser({ institutionId: institution.id, name: 'Anna Schmidt', email: 'anna@uni-hd.test', locale: 'en', timeZone: 'Asia/Bangkok' });
    await WebhookSubscription.create({ institutionId: institution.id, url: receiver.url, secret: 'partner-shared-secret-0123456789', eventTypes: null });
    // Next week's Tuesday, 09:00 in Berlin (real time: the pipeline's reminders are planned against the real clock).
    first = DateTime.now().setZone(BERLIN).plus({ weeks: 1 }).set({ weekday: 2, hour: 9, minute: 0, second: 0, millisecond: 0 });
    pipeline = await startTestPipeline();
  });

  afterEach(async () => {
    await pipeline.stop();
    await receiver.close();
  });

  it('sends one e-mail for the series with RRULE and an EXDATE for the skipped date, and a webhook per booking plus one for the series', async () => {
    // Someone else holds the second Tuesday (written directly: no event, no mail of its own).
    const other = await makeUser();
    await makeBooking({ instrumentId: instrument.id, userId: other.id, start: first.plus({ weeks: 1 }), end: first.plus({ weeks: 1, hours: 1 }) });
    const { series, occurrences, errors } = await requestBookingSeries(asViewer(researcher), {
      instrumentId: instrument.id, start: first, end: first.plus({ hours: 2 }), recurrence: 'FREQ=WEEKLY;BYDAY=TU;COUNT=4', mode: 'SKIP_CONFLICTS',
    });
    expect(errors).to.deep.equal([]);
    expect(occurrences.map((o) => o.outcome)).to.deep.equal(['BOOKED', 'CONFLICT', 'BOOKED', 'BOOKED']);

    await waitFor(async () => readMailbox(pipeline.mailDir).length >= 1 && receiver.received.length >= 4, 'the e-mail and the webhooks');
    await sleep(800); // one e-mail per occurrence would arrive now
    const mails = readMailbox(pipeline.mailDir);
    expect(mails).to.have.length(1);
    // Composed like every e-mail: reference and link of the first occurrence, the booker's zone and the lab's, HTML and text.
    const firstBooking = occurrences[0].booking!;
    const reference = bookingReference(firstBooking.id);
    expect(mails[0].subject).to.match(/^Series confirmed: Bruker D8 Venture, 3 occurrences from .+ \(LS-\w+\)$/).and.contain(reference);
    expect(mails[0].text).to.contain(`Reference: ${reference}`).and.contain('Occurrences: 3');
    expect(mails[0].text).to.match(/First \(your time\): .*Asia\/Bangkok/).and.match(/First \(lab time\): .*Europe\/Berlin/).and.match(/Last \(lab time\): .*Europe\/Berlin/);
    expect(mails[0].text).to.contain(`/bookings?booking=${firstBooking.id}`);
    expect(mails[0].html).to.contain('<html lang="en"').and.contain(`/bookings?booking=${firstBooking.id}`);
    const ics = icsLines(mails[0].ics!);
    const value = (name: string) => ics.find(([k]) => k === name)?.[1];
    expect(value('METHOD')).to.equal('REQUEST');
    expect(value('SUMMARY')).to.equal(`Bruker D8 Venture — Crystallography Core (${reference})`);
    const components = ics.filter(([k]) => k === 'BEGIN').map(([, v]) => v);
    expect(components.filter((c) => c === 'VEVENT')).to.have.length(1);
    expect(components).to.include('VTIMEZONE');
    expect(value('TZID')).to.equal(BERLIN);
    expect(value('UID')).to.equal(`series-${series!.id}@labshare.example`);
    expect(value(`DTSTART;TZID=${BERLIN}`)).to.equal(local(first));
    expect(value('RRULE')).to.equal('FREQ=WEEKLY;BYDAY=TU;COUNT=4');
    expect(value(`EXDATE;TZID=${BERLIN}`)).to.equal(local(first.plus({ weeks: 1 })));

    await sleep(300);
    const types = receiver.received.map((r) => JSON.parse(r.body).type as string).sort();
    expect(types).to.deep.equal(['booking.confirmed', 'booking.confirmed', 'booking.confirmed', 'booking_series.confirmed']);
    const seriesHook = JSON.parse(receiver.received.find((r) => JSON.parse(r.body).type === 'booking_series.confirmed')!.body);
    expect(seriesHook.data).to.include({ seriesId: series!.id, status: 'CONFIRMED' });
    expect(seriesHook.data.bookingIds).to.have.length(3);
  });

  it('cancels one occurrence with METHOD:CANCEL and its RECURRENCE-ID, and the rest of the series with one METHOD:CANCEL', async () => {
    const { series, occurrences } = await requestBookingSeries(asViewer(researcher), {
      instrumentId: instrument.id, start: first, end: first.plus({ hours: 2 }), recurrence: 'FREQ=WEEKLY;COUNT=3', mode: 'ALL_OR_NOTHING',
    });
    await waitFor(async () => readMailbox(pipeline.mailDir).length >= 1, 'the series e-mail');

    const one = await cancelBookingSeries(asViewer(researcher), { seriesId: series!.id, scope: 'THIS_ONE', fromBookingId: occurrences[1].booking!.id });
    expect(one.errors).to.deep.equal([]);
    await waitFor(async () => readMailbox(pipeline.mailDir).length >= 2, 'the occurrence cancellation');
    const cancelOne = icsLines(readMailbox(pipeline.mailDir).find((m) => m.subject.startsWith('Booking cancelled'))!.ics!);
    const v1 = (name: string) => cancelOne.find(([k]) => k === name)?.[1];
    expect(v1('METHOD')).to.equal('CANCEL');
    expect(v1('UID')).to.equal(`series-${series!.id}@labshare.example`);
    expect(v1(`RECURRENCE-ID;TZID=${BERLIN}`)).to.equal(local(first.plus({ weeks: 1 })));

    const all = await cancelBookingSeries(asViewer(researcher), { seriesId: series!.id, scope: 'ALL' });
    expect(all.errors).to.deep.equal([]);
    await waitFor(async () => readMailbox(pipeline.mailDir).length >= 3, 'the series cancellation');
    await sleep(800);
    const mails = readMailbox(pipeline.mailDir);
    expect(mails).to.have.length(3);
    const cancelAll = icsLines(mails.find((m) => m.subject.startsWith('Series cancelled'))!.ics!);
    const v2 = (name: string) => cancelAll.find(([k]) => k === name)?.[1];
    expect(v2('METHOD')).to.equal('CANCEL');
    expect(v2('UID')).to.equal(`series-${series!.id}@labshare.example`);
    expect(v2('RRULE')).to.equal('FREQ=WEEKLY;COUNT=3');
    expect(cancelAll.some(([k]) => k.startsWith('RECURRENCE-ID'))).to.equal(false);
  });
});
