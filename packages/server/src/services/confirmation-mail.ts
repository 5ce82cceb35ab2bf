/** Sending a confirmation mail whose failure must not lose what was already stored. */
import type { AppContext } from "../context.ts";
import type { MailMessage } from "./mail.ts";

/**
 * Queues one confirmation mail (see mail-queue.ts) and resolves whether it is on its way: false
 * when mail is not configured, so the caller can tell the person. A refusal by the SMTP server is
 * logged without the address or the server's words; what the person sent is stored either way,
 * and sending again mails fresh links.
 */
export async function sendConfirmationMail(ctx: AppContext, message: MailMessage): Promise<boolean> {
  await ctx.mailQueue.enqueue(message);
  return ctx.mailer.configured;
}
