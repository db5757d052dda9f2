// Every scenario, in the order a full run takes them (scale last: it grows the bookings table to a million rows).
import type { BenchContext, ScenarioResult } from '../lib/context';
import { contention, spread } from './booking';
import { availability1x7, availability50x14, search } from './reads';
import { pipeline } from './pipeline';
import { scale } from './scale';
import { seriesUnderLoad } from './series';
import { webWeekView } from './web';

export interface Scenario {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

export const SCENARIOS: Scenario[] = [
  { name: 'availability-1x7', title: 'availability, 1 instrument × 7 days, 32 connections, vs bare Express + mysql2', run: availability1x7 },
  { name: 'availability-50x14', title: 'availability, 50 instruments × 14 days, one client, vs bare Express + mysql2', run: availability50x14 },
  { name: 'search', title: 'instrument search with a free-window filter across all labs, vs bare Express + mysql2', run: search },
  { name: 'contention', title: 'booking on one hot instrument from 4 API processes vs the bare transaction', run: contention },
  { name: 'series-under-load', title: 'booking series (52 weekly) under single-booking load on one hot instrument, 4 API processes', run: seriesUnderLoad },
  { name: 'spread', title: 'booking spread over 500 instruments vs the bare transaction', run: spread },
  { name: 'pipeline', title: 'job pipeline: events/s and commit-to-delivered with 1 and 2 workers vs bare BullMQ', run: pipeline },
  { name: 'web-week-view', title: 'web app: navigation to an interactive instrument week view in headless Chromium, demo data', run: webWeekView },
  { name: 'scale', title: 'availability p50 with 10k, 100k and 1M bookings; EXPLAIN; API RSS', run: scale },
];
