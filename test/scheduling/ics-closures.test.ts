import { expect } from 'chai';
import { messageOf } from '../../src/i18n/render';
import { IcsParseError, parseIcsClosures } from '../../src/scheduling';

/** The sentence a manager reads for a file the parser refuses: IcsParseError's problem rendered as INVALID_ICS. */
function problem(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).to.be.instanceOf(IcsParseError);
    return messageOf('en', { code: 'INVALID_ICS', params: (error as IcsParseError).params });
  }
  return expect.fail('the file was read');
}

const calendar = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const event = (...lines: string[]) => ['BEGIN:VEVENT', 'UID:x@test', ...lines, 'END:VEVENT'];

describe('parseIcsClosures', () => {
  it('reads an all-day event as one closure day (DTEND is exclusive)', () => {
    const ics = calendar(...event('DTSTART;VALUE=DATE:20260413', 'DTEND;VALUE=DATE:20260414', 'SUMMARY:Songkran'));
    expect(parseIcsClosures(ics)).to.deep.equal([{ date: '2026-04-13', reason: 'Songkran' }]);
  });

  it('gives each day of a multi-day all-day event', () => {
    const ics = calendar(...event('DTSTART;VALUE=DATE:20260430', 'DTEND;VALUE=DATE:20260503', 'SUMMARY:Maintenance week'));
    expect(parseIcsClosures(ics).map((d) => d.date)).to.deep.equal(['2026-04-30', '2026-05-01', '2026-05-02']);
  });

  it('treats an all-day event without DTEND as one day, and honours DURATION', () => {
    const ics = calendar(...event('DTSTART;VALUE=DATE:20261001', 'SUMMARY:A'), ...event('DTSTART;VALUE=DATE:20261010', 'DURATION:P2D', 'SUMMARY:B'));
    expect(parseIcsClosures(ics)).to.deep.equal([
      { date: '2026-10-01', reason: 'A' },
      { date: '2026-10-10', reason: 'B' },
      { date: '2026-10-11', reason: 'B' },
    ]);
  });

  it('unfolds folded lines and undoes SUMMARY escapes', () => {
    const ics = calendar(...event('DTSTART;VALUE=DATE:20260413', 'SUMMARY:Songkran\\, the Thai', '  New Year\\; lab closed\\nSee you\\\\soon'));
    expect(parseIcsClosures(ics)).to.deep.equal([{ date: '2026-04-13', reason: 'Songkran, the Thai New Year; lab closed\nSee you\\soon' }]);
  });

  it('accepts LF line endings and a folded line with a tab', () => {
    const ics = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:2026', '\t0501', 'SUMMARY:Labour Day', 'END:VEVENT', 'END:VCALENDAR'].join('\n');
    expect(parseIcsClosures(ics)).to.deep.equal([{ date: '2026-05-01', reason: 'Labour Day' }]);
  });

  it('takes the dates a timed event covers as written (TZID or floating), the end being exclusive', () => {
    const ics = calendar(
      ...event('DTSTART;TZID="Asia/Bangkok":20260601T220000', 'DTEND;TZID="Asia/Bangkok":20260602T020000', 'SUMMARY:Power work'),
      ...event('DTSTART:20260610T090000', 'DTEND:20260611T000000', 'SUMMARY:Audit'),
    );
    expect(parseIcsClosures(ics)).to.deep.equal([
      { date: '2026-06-01', reason: 'Power work' },
      { date: '2026-06-02', reason: 'Power work' },
      { date: '2026-06-10', reason: 'Audit' },
    ]);
  });

  it('reads a UTC time in the lab’s zone when one is given', () => {
    const ics = calendar(...event('DTSTART:20260412T170000Z', 'DTEND:20260412T180000Z', 'SUMMARY:Drill'));
    expect(parseIcsClosures(ics).map((d) => d.date)).to.deep.equal(['2026-04-12']);
    expect(parseIcsClosures(ics, { zone: 'Asia/Bangkok' }).map((d) => d.date)).to.deep.equal(['2026-04-13']);
  });

  it('joins the reasons of events on the same day, skips cancelled ones and ignores VALARM and VTIMEZONE', () => {
    const ics = calendar(
      'BEGIN:VTIMEZONE', 'TZID:Asia/Bangkok', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0700', 'TZOFFSETTO:+0700', 'END:STANDARD', 'END:VTIMEZONE',
      ...event('DTSTART;VALUE=DATE:20260413', 'SUMMARY:Songkran', 'BEGIN:VALARM', 'TRIGGER:-PT15M', 'DESCRIPTION:alarm', 'DTSTART:20200101T000000', 'END:VALARM'),
      ...event('DTSTART;VALUE=DATE:20260413', 'SUMMARY:Inventory'),
      ...event('DTSTART;VALUE=DATE:20260420', 'SUMMARY:Cancelled trip', 'STATUS:CANCELLED'),
    );
    expect(parseIcsClosures(ics)).to.deep.equal([{ date: '2026-04-13', reason: 'Songkran / Inventory' }]);
  });

  it('throws IcsParseError for input that is not a VCALENDAR', () => {
    expect(problem(() => parseIcsClosures(''))).to.match(/empty/);
    expect(problem(() => parseIcsClosures('hello, world'))).to.match(/expected BEGIN:VCALENDAR/);
    expect(() => parseIcsClosures('<html><body>404</body></html>')).to.throw(IcsParseError);
    expect(problem(() => parseIcsClosures('BEGIN:VCARD\r\nFN:Somchai\r\nEND:VCARD'))).to.match(/VCALENDAR/);
  });

  it('throws IcsParseError for a truncated or malformed calendar', () => {
    expect(problem(() => parseIcsClosures('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260413\r\n'))).to.match(/missing END:VEVENT/);
    expect(problem(() => parseIcsClosures(calendar(...event('DTSTART;VALUE=DATE:20260231'))))).to.match(/not a real date/);
    expect(problem(() => parseIcsClosures(calendar(...event('DTSTART:tomorrow'))))).to.match(/DTSTART/);
    expect(problem(() => parseIcsClosures(calendar(...event('SUMMARY:no start'))))).to.match(/no DTSTART/);
    expect(problem(() => parseIcsClosures(calendar(...event('DTSTART;VALUE=DATE:20260413', 'DTEND;VALUE=DATE:20260410'))))).to.match(/ends before it starts/);
    expect(problem(() => parseIcsClosures(calendar('this line has no colon')))).to.match(/Line 4/);
  });

  it('refuses recurring events rather than silently reading only their first occurrence', () => {
    const ics = calendar(...event('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=YEARLY', 'SUMMARY:New Year'));
    expect(problem(() => parseIcsClosures(ics))).to.match(/RRULE/);
  });

  it('refuses more than 1000 closure days in one import', () => {
    const long = calendar(...event('DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20300101', 'SUMMARY:Forever'));
    expect(problem(() => parseIcsClosures(long))).to.match(/1000/);
    const many = calendar(
      ...Array.from({ length: 1001 }, (_, i) => {
        const d = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10).replace(/-/g, '');
        return event(`DTSTART;VALUE=DATE:${d}`, 'SUMMARY:x');
      }).flat(),
    );
    expect(problem(() => parseIcsClosures(many))).to.match(/1000/);
    const exactly = calendar(...event('DTSTART;VALUE=DATE:20260101', 'DURATION:P1000D'));
    expect(parseIcsClosures(exactly)).to.have.length(1000);
  });

  it('refuses dates outside the supported range (1970–2199) before reading them in the lab’s zone', () => {
    for (const when of ['DTSTART:00010102T000000Z', 'DTSTART;VALUE=DATE:19691231', 'DTSTART:22000101T000000', 'DTSTART;VALUE=DATE:99991231']) {
      expect(problem(() => parseIcsClosures(calendar(...event(when, 'SUMMARY:x')), { zone: 'Asia/Shanghai' })), when).to.match(/outside 1970-01-01 to 2199-12-31/);
    }
    expect(parseIcsClosures(calendar(...event('DTSTART;VALUE=DATE:21991231', 'SUMMARY:x')))).to.deep.equal([{ date: '2199-12-31', reason: 'x' }]);
  });
});
