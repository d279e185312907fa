/** Optional permissions and `privacy.network.webRTCIPHandlingPolicy`, which WXT's fake browser leaves unimplemented. */
import { vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';

type Level = Browser.types.LevelOfControl;
type Permissions = Browser.permissions.Permissions & { data_collection?: string[] };

export interface FakePrivacy {
  granted: Set<string>;
  value: string;
  levelOfControl: Level;
  /** Another extension takes over the setting with this value. */
  takeOver(value: string): void;
}

const names = (p: Permissions) => [...(p.permissions ?? []), ...(p.data_collection ?? [])];

export function installFakePrivacy(): FakePrivacy {
  const state: FakePrivacy = {
    granted: new Set(),
    value: 'default',
    levelOfControl: 'controllable_by_this_extension',
    takeOver(value) {
      state.value = value;
      state.levelOfControl = 'controlled_by_other_extensions';
    },
  };
  vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation((async (p: Permissions) => names(p).every((n) => state.granted.has(n))) as never);
  vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation((async (p: Permissions) => {
    names(p).forEach((n) => state.granted.add(n));
    return true;
  }) as never);
  vi.spyOn(fakeBrowser.permissions, 'remove').mockImplementation((async (p: Permissions) => {
    names(p).forEach((n) => state.granted.delete(n));
    return true;
  }) as never);
  const policy = fakeBrowser.privacy.network.webRTCIPHandlingPolicy;
  vi.spyOn(policy, 'get').mockImplementation((async () => ({ value: state.value, levelOfControl: state.levelOfControl })) as never);
  vi.spyOn(policy, 'set').mockImplementation((async ({ value }: { value: string }) => {
    if (state.levelOfControl !== 'controllable_by_this_extension' && state.levelOfControl !== 'controlled_by_this_extension') return;
    state.value = value;
    state.levelOfControl = 'controlled_by_this_extension';
  }) as never);
  vi.spyOn(policy, 'clear').mockImplementation((async () => {
    if (state.levelOfControl !== 'controlled_by_this_extension') return;
    state.value = 'default';
    state.levelOfControl = 'controllable_by_this_extension';
  }) as never);
  return state;
}
