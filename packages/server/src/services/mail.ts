/**
 * Outgoing mail (petition and form confirmations) through nodemailer over SMTP. The server holds a
 * recipient's address only for the moment it hands the message to the SMTP server: it is never
 * logged, and neither is anything an SMTP error says (a refusal may quote the address).
 *
 * Without `COMMUNE_SMTP_URL` the mailer is not configured: sending logs one warning that
 * confirmation links cannot be mailed, and, with `COMMUNE_MAIL_DEV_LOG=true` (development only),
 * each message's text — which holds its link — with the recipient left out.
 */
import { createTransport } from "nodemailer";
import type { Config } from "../config/config.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

export interface Mailer {
  /** False when no SMTP server is set: messages are not sent (the web app tells organizers). */
  readonly configured: boolean;
  /**
   * Sends one message. Throws AppError `unavailable` when the SMTP server refuses it or cannot be
   * reached; resolves without sending when mail is not configured.
   */
  send(message: MailMessage): Promise<void>;
  /** Closes pooled SMTP connections. */
  close(): void;
}

export function createMailer(config: Config, logger: Logger): Mailer {
  return config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom, logger) : unconfiguredMailer(config.mailDevLog, logger);
}

function smtpMailer(url: string, from: string, logger: Logger): Mailer {
  // pooled: a petition going viral sends many mails a second, and a new SMTP session per mail
  // (TCP, TLS, AUTH) would cost more than the mail
  const transport = createTransport({ url, pool: true, maxConnections: 5 }, { from });
  return {
    configured: true,
    async send(message) {
      try {
        await transport.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
        });
      } catch (error) {
        const e = error as { code?: unknown; responseCode?: unknown };
        logger.warn("mail_send_failed", {
          code: typeof e.code === "string" ? e.code.slice(0, 40) : null,
          responseCode: typeof e.responseCode === "number" ? e.responseCode : null,
        });
        throw new AppError("unavailable", "The confirmation mail could not be sent just now. Try again in a few minutes.");
      }
    },
    close() {
      transport.close();
    },
  };
}

function unconfiguredMailer(devLog: boolean, logger: Logger): Mailer {
  let warned = false;
  return {
    configured: false,
    async send(message) {
      if (!warned) {
        warned = true;
        logger.warn("mail_not_configured", { detail: "COMMUNE_SMTP_URL is not set: confirmation links cannot be mailed" });
      }
      if (devLog) logger.warn("mail_dev_log", { to: "(hidden)", subject: message.subject, text: message.text });
    },
    close() {},
  };
}
