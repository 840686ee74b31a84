/* Offsets in the article text. The server stores Unicode code points; the DOM counts UTF-16 units.
 * Pure functions over one text: no DOM, no state. */

/* Converters between code points and UTF-16 units, and the grapheme cluster around a unit. */
export function createOffsets(text) {
  // UTF-16 index of every surrogate pair's first unit; the k-th pair starts at code point astral[k] - k.
  const astral = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) { astral.push(i); i++; }
  }
  function cpToU16(cp) {
    let lo = 0, hi = astral.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (astral[mid] - mid < cp) lo = mid + 1; else hi = mid; }
    return cp + lo;
  }
  function u16ToCp(u) {
    let lo = 0, hi = astral.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (astral[mid] < u) lo = mid + 1; else hi = mid; }
    return u - lo;
  }

  const graphemes = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  function clusterAt(i) { // [start, end) in UTF-16 units of the grapheme cluster holding text[i]
    if (graphemes) {
      // Only the line holding i is segmented: a line break always ends a cluster.
      const lineStart = i > 0 ? text.lastIndexOf("\n", i - 1) + 1 : 0;
      let lineEnd = text.indexOf("\n", i);
      if (lineEnd < 0) lineEnd = text.length;
      const found = lineEnd > lineStart ? graphemes.segment(text.slice(lineStart, lineEnd)).containing(i - lineStart) : null;
      if (found) return [lineStart + found.index, lineStart + found.index + found.segment.length];
    }
    let start = i, end = i + 1; // no Intl.Segmenter: at least never split a surrogate pair
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) start = i - 1;
    if (unit >= 0xd800 && unit <= 0xdbff) end = i + 2;
    return [start, Math.min(end, text.length)];
  }

  return { cpToU16, u16ToCp, clusterAt };
}
