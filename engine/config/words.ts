// Splitting a configuration line into words, as httpd's ap_getword_conf
// (server/util.c) does: words are separated by white space; a word that starts
// with " or ' runs to the matching quote (\" and \\ are unescaped inside);
// outside quotes \\ becomes \. An unterminated quote runs to the end of the line,
// as in httpd.

const SPACE = /\s/;

/** All words of `s`. */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let i = skipSpace(s, 0);
  while (i < s.length) {
    const [word, next] = readWord(s, i);
    words.push(word);
    i = skipSpace(s, next);
  }
  return words;
}

/** The first word and the raw rest of the line (leading space removed). */
export function firstWord(s: string): { word: string; rest: string } {
  const start = skipSpace(s, 0);
  if (start >= s.length) return { word: '', rest: '' };
  const [word, next] = readWord(s, start);
  return { word, rest: s.slice(skipSpace(s, next)) };
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && SPACE.test(s[i]!)) i++;
  return i;
}

/** One word starting at `i` (not a space); returns it and the index after it. */
function readWord(s: string, i: number): [string, number] {
  const quote = s[i] === '"' || s[i] === "'" ? s[i]! : '';
  let out = '';
  let j = quote ? i + 1 : i;
  while (j < s.length) {
    const c = s[j]!;
    if (quote ? c === quote : SPACE.test(c)) break;
    const n = s[j + 1];
    if (c === '\\' && (n === '\\' || (quote !== '' && n === quote))) {
      out += n;
      j += 2;
      continue;
    }
    out += c;
    j++;
  }
  if (quote && j < s.length) j++; // step over the closing quote
  return [out, j];
}
