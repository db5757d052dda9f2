// Sending email: SMTP when SMTP_URL is set; otherwise (development, tests) each message is written as an .eml
// file to MAIL_DIR. Either way the delivery log in MariaDB records what was sent.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type { InviteMethod } from './calendar';

export interface OutgoingEmail {
  from: string;
  to: { name: string; email: string };
  subject: string;
  text: string;
  /** With text, the two parts of one multipart/alternative message (the same content). */
  html?: string;
  /** Stable per (event, recipient): a resent duplicate carries the same Message-ID and can be recognised. */
  messageId: string;
  headers?: Record<string, string>;
  calendar?: { method: InviteMethod; content: string };
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

function mailOptions(email: OutgoingEmail): SendMailOptions {
  return {
    from: email.from,
    to: { name: email.to.name, address: email.to.email },
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: email.messageId,
    headers: email.headers,
    ...(email.calendar
      ? { icalEvent: { method: email.calendar.method, filename: 'invite.ics', content: email.calendar.content } }
      : {}),
  };
}

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  constructor(smtpUrl: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }
  async send(email: OutgoingEmail): Promise<void> {
    await this.transport.sendMail(mailOptions(email));
  }
  close(): void {
    this.transport.close();
  }
}

/** Writes each message, fully rendered (MIME), to `<dir>/<time>-<random>.eml`. One file per send, duplicates included. */
export class FolderMailer implements Mailer {
  private readonly transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  constructor(readonly directory: string) {}
  async send(email: OutgoingEmail): Promise<void> {
    const info = await this.transport.sendMail(mailOptions(email));
    const name = `${Date.now()}-${randomBytes(4).toString('hex')}.eml`;
    // Written under a temporary name and renamed, so a reader never sees half a message.
    const temporary = path.join(this.directory, `.${name}.tmp`);
    try {
      await writeFile(temporary, info.message as Buffer);
    } catch (error) {
      // The folder is made when it is missing (first message, or removed since), not checked before every message.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(this.directory, { recursive: true });
      await writeFile(temporary, info.message as Buffer);
    }
    await rename(temporary, path.join(this.directory, name));
  }
  close(): void {
    this.transport.close();
  }
}

export function createMailer(cfg: { SMTP_URL: string; MAIL_DIR: string }): Mailer {
  return cfg.SMTP_URL ? new SmtpMailer(cfg.SMTP_URL) : new FolderMailer(path.resolve(cfg.MAIL_DIR));
}
