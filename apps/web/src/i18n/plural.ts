// Plural messages, `{n, plural, one {# file} other {# files}}`: shared by the app and the browser tests.

/** Replaces each `{name, plural, cat {text} …}` by the branch for params[name] (`other` when no branch fits). */
export function expandPlurals(text: string, params: Record<string, string | number>, lang: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const start = text.indexOf('{', i);
    const head = start < 0 ? null : /^\{(\w+), plural,/.exec(text.slice(start));
    if (start < 0) return out + text.slice(i);
    if (!head) {
      out += text.slice(i, start + 1);
      i = start + 1;
      continue;
    }
    const branches = new Map<string, string>();
    let j = start + head[0].length;
    for (;;) {
      while (text[j] === ' ') j++;
      if (text[j] === '}') break;
      const cat = /^[=\w]+/.exec(text.slice(j));
      if (!cat || text[j + cat[0].length] !== ' ' || text[j + cat[0].length + 1] !== '{') throw new Error(`bad plural in "${text}"`);
      j += cat[0].length + 2;
      let depth = 1;
      const from = j;
      while (depth > 0 && j < text.length) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        j++;
      }
      branches.set(cat[0], text.slice(from, j - 1));
    }
    const n = Number(params[head[1]!] ?? 0);
    const chosen = branches.get(`=${n}`) ?? branches.get(new Intl.PluralRules(lang).select(n)) ?? branches.get('other') ?? '';
    out += text.slice(i, start) + chosen.replace(/#/g, new Intl.NumberFormat(lang).format(n));
    i = j + 1;
  }
}
