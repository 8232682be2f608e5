import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { es } from './es.js';

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[prefix + key, value]] : leaves(value, `${prefix}${key}.`),
  );
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('kiosk messages', () => {
  it('Spanish says every sentence English says, with the same placeholders', () => {
    const spanish = new Map(leaves(es as unknown as Tree));
    for (const [key, text] of leaves(en as unknown as Tree)) {
      expect(spanish.has(key), key).toBe(true);
      expect(placeholders(spanish.get(key)!), key).toEqual(placeholders(text));
    }
  });

  it('every error has a title and a hint that tells what to do, in both languages', () => {
    for (const messages of [en, es]) {
      for (const [code, { title, hint }] of Object.entries(messages.errors)) {
        expect(title.length, code).toBeGreaterThan(5);
        expect(hint.length, code).toBeGreaterThan(5);
      }
    }
  });
});
