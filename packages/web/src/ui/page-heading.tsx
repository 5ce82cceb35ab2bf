import { useEffect, useLayoutEffect, useRef, type ReactNode } from "react";
import { useI18n } from "../i18n/index.tsx";
import { requestHeadingFocus, takeHeadingFocus } from "../router.tsx";

/**
 * The page's one h1. After a navigation it takes focus, so assistive technology announces the new
 * page and keyboard users start from its top; it also names the browser tab. When a page swaps its
 * heading (a loading heading replaced by the real one), focus passes to the new one.
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useI18n();
  useLayoutEffect(() => {
    const heading = ref.current;
    if (takeHeadingFocus()) heading?.focus({ preventScroll: true });
    return () => {
      // Runs before the element leaves the DOM: if it held focus, hand focus to the next heading.
      if (heading && document.activeElement === heading) requestHeadingFocus();
    };
  }, []);
  useEffect(() => {
    document.title = `${title.replace(/[\u2068\u2069]/g, "")} · ${t.app.name}`;
  }, [title, t.app.name]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
