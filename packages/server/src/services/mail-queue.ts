/**
 * Confirmation mails leave through a queue in memory, so that a signature is acknowledged as soon
 * as it is stored, not after an SMTP round trip: under a storm the SMTP server's pace must not
 * become the signers' waiting time. The queue is in memory on purpose: the address may not be
 * written anywhere. If the process dies with mails queued, those signatures are stored but their
 * mails are lost; signing again with the same address mails fresh links (`resent`).
 */
import type { Logger } from "../logger.ts";
import type { Mailer, MailMessage } from "./mail.ts";

export interface MailQueueOptions {
  /** Mails handed to the SMTP transport at once (its pool size). */
  readonly concurrency?: number;
  /** Mails waiting at most; beyond it, enqueueing waits (back-pressure on the senders). */
  readonly capacity?: number;
}

export class MailQueue {
  #mailer: Mailer;
  #logger: Logger;
  #concurrency: number;
  #capacity: number;
  #queue: MailMessage[] = [];
  #head = 0;
  #active = 0;
  #spaceWaiters: Array<() => void> = [];
  #idleWaiters: Array<() => void> = [];

  constructor(mailer: Mailer, logger: Logger, options: MailQueueOptions = {}) {
    this.#mailer = mailer;
    this.#logger = logger;
    this.#concurrency = options.concurrency ?? 5;
    this.#capacity = options.capacity ?? 20_000;
  }

  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Resolves once the message is queued (at once unless the queue is full). */
  async enqueue(message: MailMessage): Promise<void> {
    while (this.waiting >= this.#capacity) await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
    this.#queue.push(message);
    this.#pump();
  }

  /** Resolves when nothing is queued or being sent, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.waiting === 0 && this.#active === 0) return;
    await Promise.race([new Promise<void>((resolve) => this.#idleWaiters.push(resolve)), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  #pump(): void {
    while (this.#active < this.#concurrency && this.waiting > 0) {
      const message = this.#queue[this.#head] as MailMessage;
      // drop the reference at once: the address lives no longer than needed
      this.#queue[this.#head++] = undefined as unknown as MailMessage;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      this.#active++;
      this.#spaceWaiters.shift()?.();
      this.#mailer
        .send(message)
        .catch((error: Error) => this.#logger.warn("confirmation_mail_failed", { name: error.name }))
        .finally(() => {
          this.#active--;
          this.#pump();
          if (this.waiting === 0 && this.#active === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
        });
    }
  }
}
