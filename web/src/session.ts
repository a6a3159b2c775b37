/**
 * The signed-in member: an API token kept in sessionStorage (gone when the
 * tab closes) and the hub's answer to /api/v1/me. Public pages work without
 * it; member and coordinator pages ask for it.
 */
import { useSyncExternalStore } from 'react';
import { ApiError, httpError, type Json } from './api';

export interface Me {
  member: string;
  name: string;
  role: string;
  coordinator: boolean;
  organisation: { code: string; name: string; kind: string };
}

export interface Session {
  token: string | null;
  me: Me | null;
}

const STORAGE_KEY = 'dannevirke.token';
let session: Session = { token: readToken(), me: null };
const listeners = new Set<() => void>();

function readToken(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function publish(next: Session): void {
  session = next;
  for (const listener of listeners) listener();
}

export function currentToken(): string | null {
  return session.token;
}

export function useSession(): Session {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => session,
  );
}

/** Asks the hub who the token belongs to; keeps it only when the hub accepts it. */
export async function signIn(token: string): Promise<Me> {
  const trimmed = token.trim();
  let response: Response;
  try {
    response = await fetch(new URL('api/v1/me', document.baseURI), {
      headers: { Accept: 'application/json', Authorization: `Bearer ${trimmed}` },
    });
  } catch (err) {
    throw new ApiError('network', err instanceof Error ? err.message : 'network error');
  }
  if (!response.ok) {
    let body: Json | undefined;
    try {
      body = (await response.json()) as Json;
    } catch {
      // Not JSON: the status says enough.
    }
    throw httpError(response.status, body);
  }
  const me = (await response.json()) as Me;
  try {
    window.sessionStorage.setItem(STORAGE_KEY, trimmed);
  } catch {
    // Kept in memory only.
  }
  publish({ token: trimmed, me });
  return me;
}

export function signOut(): void {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored.
  }
  publish({ token: null, me: null });
}

/** Restores the session from sessionStorage after a reload. */
export async function restoreSession(): Promise<void> {
  const token = session.token;
  if (!token || session.me) return;
  try {
    await signIn(token);
  } catch {
    signOut();
  }
}
