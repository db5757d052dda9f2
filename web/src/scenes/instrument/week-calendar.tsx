// The week (or, on a phone, one day) as columns of cells positioned by the viewer's clock. Free cells are buttons
// named in words ("Tuesday 8 December, 09:00–10:00, free"); a click selects the instrument's minimum from there,
// a drag selects a longer span; closed time is shaded, holidays and closure days are named in the day's header.
import { useRef, useState } from 'react';
import type { DateTime } from 'luxon';
import { useLanguage, useT, type MessageId } from '../../i18n';
import { dayOf, offsetName, shortDayOf, timeOf } from '../../time';
import type { Cell, Week } from './calendar-model';

const PX_PER_MINUTE = 0.8;

interface Props {
  week: Week;
  viewerZone: string;
  labZone: string;
  /** Only these day indexes are shown (all seven on a wide screen, one on a phone). */
  shownDays: number[];
  onSelect(from: Cell, to: Cell): void;
}

export function WeekCalendar({ week, viewerZone, labZone, shownDays, onSelect }: Props) {
  const t = useT();
  const { language } = useLanguage();
  const [drag, setDrag] = useState<{ day: number; from: Cell; to: Cell } | null>(null);
  const dragged = useRef(false);
  const height = (week.toMinute - week.fromMinute) * PX_PER_MINUTE;
  const hours: number[] = [];
  for (let m = week.fromMinute; m < week.toMinute; m += 60) hours.push(m);
  const reference = week.days[shownDays[0]].start;
  // The lab's offset at the day's noon: a DST change shows up in the header of the day it happens.
  const labOffset = (dayStart: DateTime) => dayStart.plus({ hours: 12 }).setZone(labZone).offset;
  const inDrag = (day: number, cell: Cell) => drag !== null && drag.day === day && cell.start >= minStart(drag) && cell.end <= maxEnd(drag);

  const name = (cell: Cell) => {
    const state = t(`calendar.state.${cell.state}` as MessageId);
    const labTime = labZone === viewerZone ? '' : `, ${t('calendar.labTime', { time: `${timeOf(cell.start.setZone(labZone), language)}–${timeOf(cell.end.setZone(labZone), language)}` })}`;
    return `${dayOf(cell.start.setZone(viewerZone), language)}, ${timeOf(cell.start.setZone(viewerZone), language)}–${timeOf(cell.end.setZone(viewerZone), language)}, ${state}${cell.reason ? ` (${cell.reason})` : ''}${labTime}`;
  };

  return (
    <div className="calendar" onPointerUp={() => setDrag(null)} onPointerLeave={() => setDrag(null)}>
      <div className="calendar-head" style={{ gridTemplateColumns: `4.5rem repeat(${shownDays.length}, minmax(0, 1fr))` }}>
        <div className="axis-title">{offsetName(reference.setZone(viewerZone))}</div>
        {shownDays.map((i) => {
          const day = week.days[i];
          return (
            <div key={i} className="day-head">
              <div className="strong">{shortDayOf(day.start, language)}</div>
              {labOffset(day.start) !== day.start.offset && <div className="muted lab-offset">{t('calendar.labOffset', { offset: offsetName(day.start.plus({ hours: 12 }).setZone(labZone)) })}</div>}
              {day.closures.map((c) => (
                <div key={c} className="closure">
                  {c}
                </div>
              ))}
            </div>
          );
        })}
      </div>
      <div className="calendar-body" style={{ gridTemplateColumns: `4.5rem repeat(${shownDays.length}, minmax(0, 1fr))`, height }}>
        <div className="axis" aria-hidden="true">
          {hours.map((m) => (
            <div key={m} className="hour" style={{ top: (m - week.fromMinute) * PX_PER_MINUTE }}>
              {timeOf(reference.startOf('day').plus({ minutes: m }), language)}
            </div>
          ))}
        </div>
        {shownDays.map((i) => {
          const day = week.days[i];
          return (
            <ul key={i} className="day" aria-label={dayOf(day.start, language)}>
              {day.cells
                .filter((c) => c.top + c.height > week.fromMinute && c.top < week.toMinute)
                .map((cell) => {
                  const style = { top: (cell.top - week.fromMinute) * PX_PER_MINUTE, height: cell.height * PX_PER_MINUTE };
                  const label = name(cell);
                  if (cell.state === 'closed') return <li key={cell.start.toMillis()} className="cell closed" style={style} aria-hidden="true" title={label} />;
                  if (cell.state !== 'free') {
                    return (
                      <li key={cell.start.toMillis()} className={`cell ${cell.state}`} style={style}>
                        <span className="sr-only">{label}</span>
                        <span aria-hidden="true" title={label} className="cell-text">
                          {cell.state === 'mine' ? t('calendar.yours') : ''}
                        </span>
                      </li>
                    );
                  }
                  return (
                    <li key={cell.start.toMillis()} className="cell-slot" style={style}>
                      <button
                        type="button"
                        className={`cell free${inDrag(i, cell) ? ' selecting' : ''}`}
                        aria-label={label}
                        title={label}
                        onPointerDown={(e) => {
                          if (e.pointerType === 'mouse' && e.button !== 0) return;
                          dragged.current = false;
                          setDrag({ day: i, from: cell, to: cell });
                        }}
                        onPointerEnter={() => {
                          if (drag && drag.day === i && drag.to !== cell) {
                            dragged.current = true;
                            setDrag({ ...drag, to: cell });
                          }
                        }}
                        onPointerUp={(e) => {
                          if (drag && dragged.current) {
                            e.stopPropagation();
                            onSelect(drag.from, drag.to);
                            setDrag(null);
                          }
                        }}
                        onClick={() => {
                          // A plain click (or Enter/Space) selects from this cell; a drag was handled on pointer up.
                          if (dragged.current) {
                            dragged.current = false;
                            return;
                          }
                          setDrag(null);
                          onSelect(cell, cell);
                        }}
                      >
                        <span aria-hidden="true" className="cell-text">
                          {timeOf(cell.start.setZone(viewerZone), language)}
                        </span>
                      </button>
                    </li>
                  );
                })}
            </ul>
          );
        })}
      </div>
    </div>
  );
}

const minStart = (d: { from: Cell; to: Cell }): DateTime => (d.from.start < d.to.start ? d.from.start : d.to.start);
const maxEnd = (d: { from: Cell; to: Cell }): DateTime => (d.from.end > d.to.end ? d.from.end : d.to.end);
