// HTTP load with autocannon. Latencies are taken per response (autocannon's own histogram rounds to whole
// milliseconds, too coarse for 2 ms requests), so percentiles are exact over the run.
import autocannon from 'autocannon';
import { percentile } from './stats';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Timed run length; or `amount` requests in all. */
  seconds?: number;
  amount?: number;
  /** Dynamic requests (autocannon's requests option): bodies built per request, responses seen per request. */
  requests?: autocannon.Request[];
}

export interface LoadResult {
  requests: number;
  /** From the start to the last response (not to autocannon's callback: see runLoad). */
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Every response's latency (ms), in arrival order. */
  latencies: number[];
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let non2xx = 0;
  const started = process.hrtime.bigint();
  let lastResponseAt = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...(spec.headers ?? {}) },
        body: spec.body,
        connections: spec.connections,
        ...(spec.amount ? { amount: spec.amount } : { duration: spec.seconds ?? 5 }),
        ...(spec.requests ? { requests: spec.requests } : {}),
        timeout: 30,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      lastResponseAt = process.hrtime.bigint();
      if (statusCode < 200 || statusCode >= 300) non2xx += 1;
    });
  });
  // autocannon calls back only on its next 1-second sampling tick, so with `amount` the time to its callback
  // includes up to a second of idle connections after the last response: time the run to the last response.
  const seconds = Number(lastResponseAt - started) / 1e9;
  const mean = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean,
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencies,
  };
}

/** Posts one GraphQL request and returns its parsed body; throws on transport or GraphQL errors. */
export async function graphql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T; errors?: { message: string }[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status} from ${url}: ${text.slice(0, 300)}`);
  }
  if (!response.ok || body.errors?.length) throw new Error(`GraphQL error from ${url}: ${JSON.stringify(body.errors ?? text).slice(0, 500)}`);
  return body.data as T;
}
