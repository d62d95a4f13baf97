// A line diff (longest common subsequence) for "show solution": what to change
// in your configuration to get the solution's, without touching yours.

export type DiffLine = { op: ' ' | '-' | '+'; text: string };

export function lineDiff(from: string, to: string): DiffLine[] {
  const a = lines(from);
  const b = lines(to);
  // lcs[i][j]: length of the common subsequence of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) out.push({ op: '-', text: a[i++] });
    else out.push({ op: '+', text: b[j++] });
  }
  return out;
}

/** Lines as httpd reads them: trailing blanks and an empty last line do not count. */
function lines(text: string): string[] {
  const l = text.replace(/\r\n/g, '\n').split('\n').map((s) => s.trimEnd());
  while (l.length && l[l.length - 1] === '') l.pop();
  return l;
}
