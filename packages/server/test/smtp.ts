/**
 * A real SMTP server in the test process (`smtp-server`), whose received mails are parsed with
 * `mailparser`: tests send through the server's real mailer and read what arrived, links included.
 *
 * @example
 * const smtp = await startSmtpServer();
 * const t = await startServer("sqlite", { smtpUrl: smtp.url });
 * // … sign a petition …
 * const mail = await smtp.waitFor((m) => m.to.includes("ada@example.org"));
 */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased as given. */
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

export interface TestSmtpServer {
  /** `smtp://user:password@127.0.0.1:<port>`, for COMMUNE_SMTP_URL. */
  readonly url: string;
  /** Every mail received so far, in order. */
  readonly messages: ReceivedMail[];
  /** The first mail, received or to come, that matches; rejects after `timeoutMs` (default 10 s). */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const USER = "commune";
const PASSWORD = "smtp test password";

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<(mail: ReceivedMail) => void>();
  const server = new SMTPServer({
    // no TLS certificate here: do not offer STARTTLS, and allow AUTH over the plain connection
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            ...(typeof parsed.html === "string" ? { html: parsed.html } : {}),
          };
          messages.push(mail);
          for (const waiter of waiters) waiter(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  // a client that dies mid-session (the kill -9 tests kill the Commune server that is sending)
  // resets its connection; smtp-server reports that as an "error" event, which is not the test's
  server.on("error", () => {});
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`,
    messages,
    waitFor(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (mail: ReceivedMail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        // a safety net so a missing mail fails the test instead of hanging it; never a measure
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
