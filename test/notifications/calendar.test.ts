// Calendar invitations carry text people typed (a purpose, a name): it must come out escaped as the RFCs say.
import { expect } from 'chai';
import { vtimezone } from '../../src/notifications/calendar';
import { composeEmail, type EmailRequest } from '../../src/notifications/send-email';
import { icsLines } from '../jobs/support';

const SENDER = { mailFrom: 'LabShare <bookings@labshare.example>', publicUrl: 'https://labshare.example.org' };

const request = (recipientName: string, purpose: string): EmailRequest => ({
  eventKey: 'evt-1',
  kind: 'confirmed',
  recipient: { name: recipientName, email: 'wang.fang@fudan.test', locale: 'en', timeZone: 'Asia/Shanghai' },
  facts: {
    bookingId: 7, instrument: 'Orbitrap; Exploris, 480', lab: 'Joint Lab', labTimeZone: 'Asia/Bangkok', purpose,
    start: new Date('2030-03-05T01:00:00Z'), end: new Date('2030-03-05T03:00:00Z'),
  },
  invite: { method: 'REQUEST', version: 1, stamp: new Date('2030-03-01T00:00:00Z') },
});

describe('calendar invitations (no database)', () => {
  it('escapes backslash, semicolon, comma and line breaks in TEXT values as RFC 5545 says, and leaves quotes alone', () => {
    const ics = composeEmail(request('Wang Fang', 'Line one\r\nURGENT; re-enter, "now" \\ here'), SENDER).calendar!.content;
    const value = (name: string) => icsLines(ics).find(([k]) => k === name)?.[1];
    expect(value('DESCRIPTION')).to.equal('Line one\\nURGENT\\; re-enter\\, "now" \\\\ here\\n\\nBooking LS-0007: https://labshare.example.org/bookings?booking=7');
    expect(value('SUMMARY')).to.equal('Orbitrap\\; Exploris\\, 480 — Joint Lab (LS-0007)');
    // Nothing typed can start a property line of its own.
    expect(ics.split('\r\n').filter((line) => line.startsWith('URGENT'))).to.deep.equal([]);
  });

  it("encodes a quote in a person's name with RFC 6868's ^' inside the quoted CN parameter, never with a backslash", () => {
    const ics = composeEmail(request('Wang "Fang" ^ Li', 'x'), SENDER).calendar!.content;
    const unfolded = ics.replace(/\r\n[ \t]/g, '');
    const attendee = unfolded.split('\r\n').find((line) => line.startsWith('ATTENDEE'))!;
    expect(attendee).to.contain(`CN="Wang ^'Fang^' ^^ Li"`);
    // RFC 5545 gives a backslash no meaning in a parameter value: a reader would end the value at the quote.
    expect(unfolded).not.to.contain('\\"');
  });

  it("states the lab's zone as TZID with a VTIMEZONE whose changes start at the local time before them (RFC 5545)", () => {
    const ics = composeEmail(request('Wang Fang', 'x'), SENDER).calendar!.content;
    expect(icsLines(ics).find(([k]) => k.startsWith('DTSTART;'))).to.deep.equal(['DTSTART;TZID=Asia/Bangkok', '20300305T080000']);
    expect(ics).to.contain('TZID:Asia/Bangkok\r\nBEGIN:STANDARD').and.contain('TZOFFSETTO:+0700');
    const berlin = icsLines(vtimezone('Europe/Berlin', new Date('2026-06-01T00:00:00Z'), new Date('2026-06-01T02:00:00Z')));
    const changes = berlin.filter(([k]) => k === 'DTSTART').map(([, v]) => v);
    expect(changes.slice(1)).to.deep.equal(['20260329T020000', '20261025T030000']);
    expect(berlin.filter(([k]) => k === 'BEGIN').map(([, v]) => v)).to.deep.equal(['VTIMEZONE', 'STANDARD', 'DAYLIGHT', 'STANDARD']);
  });
});
