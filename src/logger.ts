import pino from 'pino';
import { config } from './config';

function level(): string {
  try {
    return config().LOG_LEVEL;
  } catch {
    return 'info'; // a bad setting is reported by start-up itself, in one line
  }
}

export const logger = pino({
  level: level(),
  base: { service: 'labshare' },
  redact: ['req.headers.authorization', 'authorization', 'apiKey'],
});
export type Logger = typeof logger;
