/**
 * One polite live region for confirmations ("Link copied", "Role changed"). It is also shown as a
 * short toast so sighted people get the same feedback.
 */
import { useEffect, useState } from "react";

type Listener = (message: string) => void;
const listeners = new Set<Listener>();

export function announce(message: string): void {
  for (const listener of listeners) listener(message);
}

export function Announcer() {
  const [message, setMessage] = useState<{ text: string; key: number } | null>(null);
  useEffect(() => {
    const listener: Listener = (text) => setMessage({ text, key: Date.now() });
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(null), 6000);
    return () => clearTimeout(timer);
  }, [message]);
  return (
    <div className="toast-region" role="status" aria-live="polite" aria-atomic="true">
      {message && (
        <p className="toast" key={message.key}>
          {message.text}
        </p>
      )}
    </div>
  );
}
