// The large-text switch (大字): one class on <html> scales every rem-sized
// text by 19/15; the choice is kept in this browser or window.

const KEY = 'conclave.large';

/** Whether large text is on (read once at start, kept in localStorage). */
export function largeText(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

/** Turns large text on or off and remembers it. */
export function setLargeText(on: boolean): void {
  document.documentElement.classList.toggle('large', on);
  try {
    localStorage.setItem(KEY, on ? '1' : '0');
  } catch {
    // A browser that keeps nothing (private mode) still switches for now.
  }
}
