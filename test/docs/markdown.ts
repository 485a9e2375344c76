/**
 * Just enough Markdown reading for the documentation tests: the README and `docs/` use plain
 * GitHub-flavoured Markdown (fenced code, inline links, pipe tables, ATX headings).
 */

/** The text with every fenced code block blanked out, line for line. */
function withoutFencedCode(markdown: string): string {
  let fence: string | undefined
  return markdown
    .split('\n')
    .map((line) => {
      const opening = /^\s*(`{3,}|~{3,})/.exec(line)?.[1]
      if (fence === undefined) {
        if (opening === undefined) return line
        fence = opening
        return ''
      }
      if (opening !== undefined && opening[0] === fence[0] && opening.length >= fence.length) {
        fence = undefined
      }
      return ''
    })
    .join('\n')
}

/** The contents of every inline code span outside fenced code. */
export function codeSpans(markdown: string): string[] {
  return [...withoutFencedCode(markdown).matchAll(/`([^`\n]+)`/g)].flatMap((match) =>
    match[1] === undefined ? [] : [match[1]],
  )
}

/** Every link target (`[text](target)`, `<https://...>`) outside code. */
export function linkTargets(markdown: string): string[] {
  const prose = withoutFencedCode(markdown).replace(/`[^`\n]*`/g, 'code')
  const inline = [...prose.matchAll(/\[[^\]]*\]\(\s*([^)\s]+)(?:\s+"[^"]*")?\s*\)/g)]
  const auto = [...prose.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]+)>/gi)]
  return [...inline, ...auto].flatMap((match) => (match[1] === undefined ? [] : [match[1]]))
}

/**
 * The anchors GitHub gives the headings: the text lower-cased, without punctuation, spaces as
 * hyphens, and `-1`, `-2`, ... on repeats, as https://github.com/Flet/github-slugger does.
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const line of withoutFencedCode(markdown).split('\n')) {
    const text = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1]
    if (text === undefined) continue
    const base = text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-')
    const repeats = seen.get(base) ?? 0
    seen.set(base, repeats + 1)
    anchors.add(repeats === 0 ? base : `${base}-${repeats}`)
  }
  return anchors
}

/**
 * The body rows of the pipe table whose first header cell is `firstHeader`, each as its trimmed
 * cells. Throws when there is no such table.
 */
export function tableRows(markdown: string, firstHeader: string): string[][] {
  const lines = withoutFencedCode(markdown).split('\n')
  const cellsOf = (line: string) =>
    line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((cell) => cell.trim())
  const start = lines.findIndex(
    (line) => line.trim().startsWith('|') && cellsOf(line)[0] === firstHeader,
  )
  if (start === -1) throw new Error(`No table whose first column is ${firstHeader}`)
  const rows: string[][] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith('|')) break
    rows.push(cellsOf(line))
  }
  return rows
}
