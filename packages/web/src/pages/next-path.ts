/** Where to go after signing in: the page that sent the person to sign in, for this tab only. */
const KEY = "commune.next";

export function rememberNext(path: string): void {
  try {
    sessionStorage.setItem(KEY, path);
  } catch {
    // storage disabled: they land on the home page instead
  }
}

export function takeNext(): string | null {
  try {
    const path = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    // Only same-site paths: never an absolute URL someone planted.
    return path && path.startsWith("/") && !path.startsWith("//") ? path : null;
  } catch {
    return null;
  }
}
