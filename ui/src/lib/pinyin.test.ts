import { describe, expect, it } from 'vitest';
import { matches, searchKeys } from './pinyin';

describe('pinyin matching', () => {
  it('matches pinyin initials of a name', () => {
    // pinyin-pro 3.29 has no reading for 𠮷 (U+20BB7); lib/pinyin.ts supplies "ji".
    expect(matches('韦秀𠮷', 'wxj', { name: true })).toBe(true);
    expect(matches('韦秀𠮷', 'wx', { name: true })).toBe(true);
    expect(matches('韦秀𠮷', 'xj', { name: true })).toBe(true);
  });

  it('matches full pinyin, whole or in part', () => {
    expect(matches('韦秀𠮷', 'wei', { name: true })).toBe(true);
    expect(matches('韦秀𠮷', 'weixiuji', { name: true })).toBe(true);
    expect(matches('韦秀𠮷', 'wei xiu', { name: true })).toBe(true);
    expect(matches('刘䶮', 'liuyan', { name: true })).toBe(true);
    expect(matches('刘䶮', 'ly', { name: true })).toBe(true);
  });

  it('matches an organisation by initials', () => {
    expect(matches('广西大学', 'gxdx')).toBe(true);
    expect(matches('广西大学', 'guangxi')).toBe(true);
    expect(matches('广西大学', 'xyz')).toBe(false);
    expect(matches('广西大学', 'gxdxx')).toBe(false);
  });

  it('is case-insensitive', () => {
    expect(matches('广西大学', 'GXDX')).toBe(true);
    expect(matches('韦秀𠮷', 'WeiXiu', { name: true })).toBe(true);
    expect(matches('IBM中国研究院', 'ibm')).toBe(true);
    expect(matches('IBM中国研究院', 'ibmzg')).toBe(true);
  });

  it('still matches plain substrings', () => {
    expect(matches('广西大学', '西大')).toBe(true);
    expect(matches('广西大学', '广西大学')).toBe(true);
    expect(matches('韦秀𠮷', '𠮷', { name: true })).toBe(true);
    expect(matches('Guangxi University', 'xi uni')).toBe(true);
    expect(matches('广西大学', '东大')).toBe(false);
    expect(matches('广西大学', '  ')).toBe(true);
  });

  it('reads polyphonic surnames both ways for names', () => {
    expect(matches('单雪', 'shanxue', { name: true })).toBe(true);
    expect(matches('单雪', 'sx', { name: true })).toBe(true);
    expect(matches('曾强', 'zq', { name: true })).toBe(true);
    expect(matches('曾强', 'zengqiang', { name: true })).toBe(true);
  });

  it('keeps characters without pinyin data as they are', () => {
    // U+20000 has no reading in pinyin-pro.
    expect(() => searchKeys('\u{20000}张')).not.toThrow();
    expect(matches('\u{20000}张', 'zhang')).toBe(true);
    expect(matches('\u{20000}张', '\u{20000}z')).toBe(true);
    expect(matches('', 'a')).toBe(false);
  });

  it('memoises keys per string', () => {
    expect(searchKeys('广西大学')).toBe(searchKeys('广西大学'));
  });
});
