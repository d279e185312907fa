/**
 * Renders the README's storage and permission tables from their declarations
 * (`utils/storage-inventory.ts`, `utils/manifest-permissions.ts`).
 * `npm run readme` rewrites them in place; a unit test fails when they are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PERMISSIONS } from '../utils/manifest-permissions';
import { STORAGE_INVENTORY } from '../utils/storage-inventory';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderStorageTable(): string {
  const area = { local: 'storage.local', session: 'storage.session', indexeddb: 'IndexedDB database' } as const;
  const rows = STORAGE_INVENTORY.map((d) =>
    [`\`${d.key}\``, area[d.area], cell(d.type), cell(d.purpose), cell(d.retention), d.secret ? 'yes' : 'no', d.policy ? 'yes' : '—']
      .map((c) => ` ${c} `)
      .join('|'),
  );
  return [
    '| key | where | value | purpose | kept | secret | in the policy |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `|${r}|`),
  ].join('\n');
}

export function renderPermissionTable(): string {
  const kind = { install: 'at install', optional: 'asked at runtime', 'optional-host': 'asked at runtime (host)' } as const;
  const rows = PERMISSIONS.map((p) => `| \`${p.name}\` | ${p.browsers.join(', ')} | ${kind[p.kind]} | ${cell(p.why)} |`);
  return ['| permission | browsers | when | why |', '|---|---|---|---|', ...rows].join('\n');
}

const SECTIONS = { 'storage-table': renderStorageTable, 'permission-table': renderPermissionTable } as const;

/** The README with every generated section replaced by its current rendering. */
export function renderReadme(readme: string): string {
  let out = readme;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
    if (!pattern.test(out)) throw new Error(`README is missing the <!-- ${name}:start/end --> markers`);
    out = out.replace(pattern, (_m, start: string, end: string) => `${start}\n${render()}\n${end}`);
  }
  return out;
}

/** npm runs scripts (and vitest) from the repository root. */
export const README_PATH = resolve(process.cwd(), 'README.md');

if (process.argv[1]?.endsWith('readme-tables.ts')) {
  writeFileSync(README_PATH, renderReadme(readFileSync(README_PATH, 'utf8')));
}
