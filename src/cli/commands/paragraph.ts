/**
 * clusterctl's formatParagraph (CAPI v1.14 internal/util/tree): a condition message wrapped to
 * lines under 100 bytes, its own line breaks kept, a continued line indented like the line it
 * continues (two more under a "* " bullet). Reproduced byte for byte, trailing spaces included,
 * so the describe table's columns come out as wide as clusterctl's.
 */

/** Go's `\s` in regexp: ASCII whitespace only. */
const goWhitespace = /[\t\n\f\r ]+/;

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

export function formatParagraph(text: string, maxWidth = 100): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    let current = /^ */.exec(line)![0];
    const indent = current + (line.trim().startsWith('* ') ? '  ' : '');
    for (const word of line.split(goWhitespace)) {
      if (byteLength(current) + byteLength(word) < maxWidth) {
        if (current.trim() !== '') current += ' ';
        current += word;
        continue;
      }
      lines.push(current);
      current = indent + word;
    }
    lines.push(current);
  }
  return lines.join('\n');
}
