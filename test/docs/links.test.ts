import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { codeSpans, headingAnchors, linkTargets } from './markdown.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The documentation: the README, every page of `docs/`, and the benchmark's guide. */
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  ...(existsSync(join(ROOT, 'bench/README.md')) ? ['bench/README.md'] : []),
]

/** Folders that exist on this machine but not in a clone (`.gitignore`). */
const NOT_IN_THE_REPOSITORY = ['node_modules', 'dist', 'coverage', '.serverless', '.git']

/** A code span that names a file or folder of the repository, such as `lib/bcc/retry.ts`. */
const REPOSITORY_PATH =
  /^(?:lib|functions|emulator|local|events|statemachines|scripts|test|bench|docs|\.ci)\/[\w./-]*$/

const read = (page: string) => readFileSync(join(ROOT, page), 'utf8')

/** The repository file a path names, or why it names none. */
function inRepository(path: string): { file: string } | { problem: string } {
  const absolute = resolve(ROOT, path)
  const inside = relative(ROOT, absolute)
  if (inside.startsWith('..') || isAbsolute(inside)) return { problem: 'is outside the repository' }
  if (NOT_IN_THE_REPOSITORY.includes(inside.split(/[\\/]/)[0] ?? '')) {
    return { problem: 'is not in the repository' }
  }
  if (!existsSync(absolute)) return { problem: 'does not exist' }
  return { file: inside }
}

interface Link {
  page: string
  target: string
}

const links: Link[] = PAGES.flatMap((page) =>
  linkTargets(read(page)).map((target) => ({ page, target })),
)
const isWebOrMail = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target)

describe('links in the README and docs/', () => {
  it('reads every page and finds links in it', () => {
    expect(PAGES).toContain('README.md')
    expect(PAGES).toContain('docs/operations.md')
    for (const page of PAGES) {
      expect(
        links.some((link) => link.page === page),
        `${page} has no link`,
      ).toBe(true)
    }
  })

  it('point to files of the repository when relative', () => {
    const broken = links
      .filter((link) => !isWebOrMail(link.target) && !link.target.startsWith('#'))
      .flatMap(({ page, target }) => {
        const path = decodeURIComponent(target.split('#')[0] ?? '')
        const found = inRepository(join(dirname(page), path))
        return 'problem' in found ? [`${page}: ${target} ${found.problem}`] : []
      })
    expect(broken).toEqual([])
  })

  it('name headings that exist when they carry an anchor', () => {
    const broken = links
      .filter((link) => !isWebOrMail(link.target) && link.target.includes('#'))
      .flatMap(({ page, target }) => {
        const [path = '', anchor = ''] = target.split('#')
        const file = path === '' ? page : join(dirname(page), decodeURIComponent(path))
        const found = inRepository(file)
        if ('problem' in found || !found.file.endsWith('.md')) return []
        return headingAnchors(read(found.file)).has(anchor) ? [] : [`${page}: ${target}`]
      })
    expect(broken).toEqual([])
  })

  it('use https for every web address', () => {
    const plain = links
      .filter((link) => isWebOrMail(link.target) && !link.target.startsWith('https://'))
      .map(({ page, target }) => `${page}: ${target}`)
    expect(plain).toEqual([])
  })

  it('name only files and folders that exist, in code spans too', () => {
    const stale = PAGES.flatMap((page) =>
      codeSpans(read(page))
        .filter((span) => REPOSITORY_PATH.test(span))
        .flatMap((span) => {
          const found = inRepository(span)
          return 'problem' in found ? [`${page}: ${span} ${found.problem}`] : []
        }),
    )
    expect(stale).toEqual([])
  })
})
