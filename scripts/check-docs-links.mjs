#!/usr/bin/env node
// Checks every relative link of the docs a clone or an npm user reads: README.md, docs/**/*.md,
// packages/*/README.md and examples/**/README.md. A link must resolve to a file or folder of the
// repo (never outside it, e.g. ../shared), and a #anchor must name a heading of the target page
// (GitHub's slugs, via github-slugger). External links (http:, mailto: ...) are not fetched.
// A page that names ../shared, /work/shared or shared/spec in its text fails too: only CI has them.
// Exit 1 listing every broken link as file:line: target (reason).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';

const root = resolve(import.meta.dirname, '..');
const markdown = new MarkdownIt({ html: true });
const skippedFolders = new Set(['node_modules', 'dist', '.turbo', '.git']);

/** Markdown files under `folder` (recursive), or only those named README.md. */
function markdownFiles(folder, { readmeOnly = false } = {}) {
  if (!existsSync(folder)) return [];
  const found = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (skippedFolders.has(entry.name)) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(path, { readmeOnly }));
    else if (readmeOnly ? entry.name === 'README.md' : entry.name.endsWith('.md')) found.push(path);
  }
  return found;
}

function pagesToCheck() {
  const packageReadmes = readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name, 'README.md'))
    .filter((path) => existsSync(path));
  return [join(root, 'README.md'), ...markdownFiles(join(root, 'docs')), ...packageReadmes, ...markdownFiles(join(root, 'examples'), { readmeOnly: true })];
}

const parsedPages = new Map();

/** Tokens, links (with line numbers) and heading anchors of one markdown file. */
function parsePage(path) {
  const cached = parsedPages.get(path);
  if (cached) return cached;
  const tokens = markdown.parse(readFileSync(path, 'utf8'), {});
  const slugger = new GithubSlugger();
  const anchors = new Set();
  const links = [];
  tokens.forEach((token, index) => {
    const line = (token.map?.[0] ?? 0) + 1;
    if (token.type === 'heading_open') {
      const inline = tokens[index + 1];
      const text = (inline?.children ?? [])
        .filter((child) => child.type === 'text' || child.type === 'code_inline')
        .map((child) => child.content)
        .join('');
      anchors.add(slugger.slug(text));
    }
    for (const child of token.children ?? []) {
      if (child.type === 'link_open') links.push({ target: child.attrGet('href') ?? '', line });
      if (child.type === 'image') links.push({ target: child.attrGet('src') ?? '', line });
      if (child.type === 'html_inline') collectHtml(child.content, line, links, anchors);
    }
    if (token.type === 'html_block') collectHtml(token.content, line, links, anchors);
  });
  const page = { anchors, links };
  parsedPages.set(path, page);
  return page;
}

/** `<a href>`, `<img src>` and `id=`/`name=` anchors inside raw HTML. */
function collectHtml(html, line, links, anchors) {
  for (const match of html.matchAll(/\b(?:href|src)="([^"]*)"/g)) links.push({ target: match[1] ?? '', line });
  for (const match of html.matchAll(/\b(?:id|name)="([^"]*)"/g)) anchors.add(match[1] ?? '');
}

/** Why `target` (a link in `page`) is broken, or undefined when it resolves. */
function problemOf(page, target) {
  if (target === '') return 'empty link';
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined;
  const [pathPart = '', anchor] = target.split('#', 2);
  const decoded = decodeURIComponent(pathPart);
  if (decoded.startsWith('/')) return 'absolute path: use a path relative to the page';
  const resolved = decoded === '' ? page : resolve(dirname(page), decoded);
  const inside = relative(root, resolved);
  if (inside.startsWith(`..${sep}`) || inside === '..') return 'points outside the repository (a clone or an npm user does not have it)';
  if (!existsSync(resolved)) return 'no such file or folder';
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(resolved).isDirectory()) return `#${anchor} on a folder`;
  if (!resolved.endsWith('.md')) return undefined; // line anchors of source files (#L10) are GitHub's
  return parsePage(resolved).anchors.has(anchor) ? undefined : `no heading #${anchor} in ${relative(root, resolved)}`;
}

const broken = [];
let checked = 0;
const outsidePattern = /\.\.\/shared\b|\/work\/shared\b|\bshared\/spec\b/;
for (const page of pagesToCheck()) {
  readFileSync(page, 'utf8')
    .split('\n')
    .forEach((text, index) => {
      if (outsidePattern.test(text)) broken.push(`${relative(root, page)}:${index + 1}: names ${outsidePattern.exec(text)?.[0]} (outside the repository)`);
    });
  for (const link of parsePage(page).links) {
    checked += 1;
    const problem = problemOf(page, link.target);
    if (problem !== undefined) broken.push(`${relative(root, page)}:${link.line}: ${link.target} (${problem})`);
  }
}
if (broken.length > 0) {
  process.stderr.write(`${broken.join('\n')}\ndocs links: ${broken.length} broken of ${checked}\n`);
  process.exit(1);
}
process.stderr.write(`docs links: all ${checked} links resolve\n`);
