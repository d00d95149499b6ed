import { describe, expect, it } from 'vitest';
import { dateTime, timeOfDay } from './time';

// The tests run with TZ=Asia/Shanghai (package.json), as a Guangxi meeting room would.
describe('meeting-room times', () => {
  it('shows local 24-hour time in Chinese as YYYY-MM-DD HH:MM', () => {
    expect(dateTime('2026-12-01T19:14:44Z', 'zh')).toBe('2026-12-02 03:14');
    expect(dateTime('2026-12-01T06:05:00Z', 'zh')).toBe('2026-12-01 14:05');
  });

  it('shows an English date in English, still 24-hour', () => {
    expect(dateTime('2026-12-01T06:05:00Z', 'en')).toBe('1 Dec 2026, 14:05');
  });

  it('gives the time of day alone for sign-in', () => {
    expect(timeOfDay('2026-12-01T11:16:48Z')).toBe('19:16');
    expect(timeOfDay(null)).toBe('');
  });

  it('leaves an unreadable value as it is rather than inventing one', () => {
    expect(dateTime('not a time', 'zh')).toBe('not a time');
  });
});
