import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_PATH, renderReadme } from '../../scripts/readme-tables';
import { STORAGE_INVENTORY } from '@/utils/storage-inventory';

describe('README tables', () => {
  it('are generated from the storage inventory and the permission list (run `npm run readme`)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(renderReadme(readme)).toBe(readme);
  });

  it('declare every key the service\'s storage policy names', () => {
    const policyKeys = STORAGE_INVENTORY.filter((d) => d.policy).map((d) => d.key);
    // `{krn}` in the policy is the hash of the KRN: the KRN itself is never a key.
    expect(policyKeys).toEqual(expect.arrayContaining(['master_password_created', 'master_password_created_{hash}', 'processed_code']));
  });
});
