// An instrument: what it is, its rules in words, and a week calendar in the viewer's zone with the lab's local
// time beside it; selecting free time opens the booking dialog.
import { DateTime } from 'luxon';
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useSearch } from 'wouter';
import { useClient, useQuery } from 'urql';
import { duration } from '../../components/duration';
import { ErrorBox, Loading } from '../../components/error-box';
import { graphql } from '../../gql';
import { useLanguage, useT } from '../../i18n';
import { dayOf, offsetName, timeOf, toApi } from '../../time';
import { useViewer } from '../../viewer';
import { countryName } from '../find/countries';
import { BookingDialog } from './booking-dialog';
import { buildWeek, selectSpan, type Cell } from './calendar-model';
import { WeekCalendar } from './week-calendar';

const InstrumentQuery = graphql(`
  query InstrumentPage($id: ID!, $from: DateTime!, $to: DateTime!, $fromDate: LocalDate!, $toDate: LocalDate!) {
    instrument(id: $id) {
      id
      name
      kind
      category
      description
      status
      requiresApproval
      requiresCheckIn
      accessPolicy
      rules {
        slotMinutes
        minMinutes
        maxMinutes
        minNoticeMinutes
        maxAdvanceDays
        bufferAfterMinutes
      }
      openingHours {
        weekday
        start
        end
      }
      lab {
        id
        name
        countryCode
        timeZone
        holidays(from: $fromDate, to: $toDate) {
          date
          kind
          reason
        }
      }
    }
    availability(instrumentIds: [$id], from: $from, to: $to) {
      free {
        start
        end
      }
      busy {
        start
        end
        kind
      }
    }
    myBookings(filter: { instrumentId: $id, from: $from, to: $to, status: [PENDING, CONFIRMED] }, first: 100) {
      nodes {
        id
        start
        end
        status
      }
    }
  }
`);

const NextFreeQuery = graphql(`
  query NextFree($id: ID!, $from: DateTime!, $to: DateTime!, $minMinutes: Int) {
    availability(instrumentIds: [$id], from: $from, to: $to, minMinutes: $minMinutes) {
      free {
        start
        end
      }
    }
  }
`);

function useIsPhone(): boolean {
  const query = '(max-width: 640px)';
  const [phone, setPhone] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setPhone(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, []);
  return phone;
}

export default function InstrumentPage({ id }: { id: string }) {
  const t = useT();
  const { language } = useLanguage();
  const viewer = useViewer();
  const zone = viewer.timeZone;
  const search = useSearch();
  const [, navigate] = useLocation();
  const client = useClient();
  const phone = useIsPhone();

  // The week shown starts on the viewer's Monday; ?week=yyyy-MM-dd names any day in it.
  const weekParam = new URLSearchParams(search).get('week');
  const weekStart = useMemo(() => {
    const day = weekParam ? DateTime.fromISO(weekParam, { zone }) : DateTime.now().setZone(zone);
    return (day.isValid ? day : DateTime.now().setZone(zone)).startOf('week');
  }, [weekParam, zone]);
  const [dayIndex, setDayIndex] = useState(() => Math.max(0, Math.min(6, Math.floor(DateTime.now().setZone(zone).diff(weekStart, 'days').days))));
  const variables = useMemo(() => {
    const from = weekStart;
    const to = weekStart.plus({ days: 7 });
    // Lab-local dates covering the week in any zone: a day either side.
    return { id, from: toApi(from), to: toApi(to), fromDate: from.minus({ days: 1 }).toISODate()!, toDate: to.plus({ days: 1 }).toISODate()! };
  }, [id, weekStart]);
  const [{ data, error, fetching }, refetch] = useQuery({ query: InstrumentQuery, variables, requestPolicy: 'cache-and-network' });
  const [selected, setSelected] = useState<{ start: DateTime; end: DateTime } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [nextHours, setNextHours] = useState('2');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- 'now' is read again whenever new data arrives
  const now = useMemo(() => DateTime.now(), [data]);

  const instrument = data?.instrument;
  const week = useMemo(() => {
    if (!data?.instrument) return null;
    const a = data.availability[0];
    return buildWeek({
      weekStart,
      viewerZone: zone,
      labZone: data.instrument.lab.timeZone,
      openingHours: data.instrument.openingHours,
      closedDays: data.instrument.lab.holidays,
      free: a?.free ?? [],
      busy: a?.busy ?? [],
      mine: data.myBookings.nodes,
      slotMinutes: data.instrument.rules.slotMinutes,
      now,
    });
  }, [data, weekStart, zone, now]);

  const goToWeek = (day: DateTime) => {
    const params = new URLSearchParams(search);
    params.set('week', day.setZone(zone).startOf('week').toISODate()!);
    setDayIndex(day.setZone(zone).weekday - 1);
    navigate(`/instruments/${id}?${params.toString()}`);
  };
  const reload = () => refetch({ requestPolicy: 'network-only' });

  async function findNextFree() {
    const hours = Number(nextHours);
    if (!(hours > 0) || !instrument) return;
    const from = DateTime.now().setZone(zone);
    const answer = await client
      .query(NextFreeQuery, { id, from: toApi(from), to: toApi(from.plus({ days: 62 })), minMinutes: Math.round(hours * 60) }, { requestPolicy: 'network-only' })
      .toPromise();
    const first = answer.data?.availability[0]?.free[0];
    if (!first) {
      setNotice(t('instrument.noFreeSlot', { hours }));
      return;
    }
    const start = DateTime.fromISO(first.start, { setZone: true }).setZone(zone);
    setNotice(t('instrument.nextFreeAt', { when: `${dayOf(start, language)} ${timeOf(start, language)}` }));
    goToWeek(start);
    setSelected({ start, end: start.plus({ minutes: Math.round(hours * 60) }) });
  }

  if (error && !data) return <ErrorBox error={error} retry={reload} />;
  if (!data) return <Loading />;
  if (!instrument) {
    return (
      <section>
        <h1>{t('instrument.notFound')}</h1>
      </section>
    );
  }
  const labZone = instrument.lab.timeZone;
  const labNow = DateTime.now().setZone(labZone);
  const rules = instrument.rules;
  const shownDays = phone ? [dayIndex] : [0, 1, 2, 3, 4, 5, 6];

  return (
    <section className="instrument">
      <h1>{instrument.name}</h1>
      <p className="muted">
        {instrument.lab.name} · {countryName(instrument.lab.countryCode, language)} · {instrument.category}
      </p>
      {instrument.description && <p>{instrument.description}</p>}
      <div className="columns">
        <section className="card" aria-labelledby="rules-title">
          <h2 id="rules-title">{t('instrument.rules')}</h2>
          <ul className="rules">
            <li>{t('rules.slot', { d: duration(rules.slotMinutes, t) })}</li>
            <li>{t('rules.length', { min: duration(rules.minMinutes, t), max: duration(rules.maxMinutes, t) })}</li>
            <li>{rules.minNoticeMinutes > 0 ? t('rules.notice', { d: duration(rules.minNoticeMinutes, t) }) : t('rules.noNotice')}</li>
            <li>{t('rules.advance', { days: rules.maxAdvanceDays })}</li>
            {rules.bufferAfterMinutes > 0 && <li>{t('rules.buffer', { d: duration(rules.bufferAfterMinutes, t) })}</li>}
            <li>{t(instrument.requiresApproval ? 'rules.approval' : 'rules.instant')}</li>
            {instrument.accessPolicy === 'QUALIFIED' && <li>{t('rules.qualified')}</li>}
            {instrument.accessPolicy === 'MEMBERS' && <li>{t('rules.members')}</li>}
            {instrument.requiresCheckIn && <li>{t('rules.checkIn')}</li>}
          </ul>
        </section>
        <section className="card" aria-labelledby="zones-title">
          <h2 id="zones-title">{t('instrument.times')}</h2>
          <p>{t('instrument.viewerZone', { zone, offset: offsetName(DateTime.now().setZone(zone)) })}</p>
          <p id="lab-now">{t('instrument.labNow', { zone: labZone, time: `${timeOf(labNow, language)} ${offsetName(labNow)}` })}</p>
        </section>
      </div>
      {instrument.status !== 'AVAILABLE' && <p className="conflict">{t(instrument.status === 'MAINTENANCE' ? 'instrument.maintenance' : 'instrument.retired')}</p>}
      <div className="week-nav" role="group" aria-label={t('instrument.weekNav')}>
        <button type="button" onClick={() => (phone && dayIndex > 0 ? setDayIndex(dayIndex - 1) : goToWeek(weekStart.minus({ days: phone ? 1 : 7 })))}>
          {t(phone ? 'instrument.prevDay' : 'instrument.prevWeek')}
        </button>
        <button type="button" onClick={() => goToWeek(DateTime.now().setZone(zone))}>
          {t('instrument.today')}
        </button>
        <button type="button" onClick={() => (phone && dayIndex < 6 ? setDayIndex(dayIndex + 1) : goToWeek(weekStart.plus({ days: 7 })))}>
          {t(phone ? 'instrument.nextDay' : 'instrument.nextWeek')}
        </button>
        <label htmlFor="jump-date">{t('instrument.jump')}</label>
        <input id="jump-date" type="date" value={weekStart.plus({ days: dayIndex }).toISODate()!} onChange={(e) => e.target.value && goToWeek(DateTime.fromISO(e.target.value, { zone }))} />
        <span className="next-free">
          <label htmlFor="next-hours">{t('instrument.nextFreeHours')}</label>
          <input id="next-hours" type="number" min="0.5" step="0.5" value={nextHours} onChange={(e) => setNextHours(e.target.value)} />
          <button type="button" onClick={() => void findNextFree()}>
            {t('instrument.nextFree')}
          </button>
        </span>
      </div>
      <div role="status" className="notice">
        {notice}
        {fetching && data ? ` ${t('common.loading')}` : ''}
      </div>
      {error && <ErrorBox error={error} retry={reload} />}
      <div className="legend" aria-hidden="true">
        <span className="swatch free" /> {t('calendar.state.free')} <span className="swatch busy" /> {t('calendar.state.busy')} <span className="swatch blackout" />{' '}
        {t('calendar.state.blackout')} <span className="swatch mine" /> {t('calendar.state.mine')} <span className="swatch closed" /> {t('calendar.state.closed')}
      </div>
      {week && (
        <WeekCalendar
          week={week}
          viewerZone={zone}
          labZone={labZone}
          shownDays={shownDays}
          onSelect={(from: Cell, to: Cell) => {
            setNotice(null);
            setSelected(selectSpan(from, to, rules));
          }}
        />
      )}
      {selected && (
        <BookingDialog
          key={selected.start.toMillis()}
          instrument={instrument}
          labZone={labZone}
          viewerZone={zone}
          span={selected}
          onClose={() => setSelected(null)}
          onConflict={() => {
            setNotice(t('booking.conflictRefreshed'));
            reload();
          }}
          onBooked={reload}
        />
      )}
    </section>
  );
}
