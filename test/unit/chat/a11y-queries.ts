/** Finding controls the way the e2e tests do: by role and accessible name (a small subset of the algorithm). */

const IMPLICIT_ROLES: Record<string, string> = { button: 'button', textarea: 'textbox', select: 'combobox', article: 'article', a: 'link' };

export function roleOf(element: Element): string | undefined {
  return element.getAttribute('role') ?? IMPLICIT_ROLES[element.localName];
}

export function nameOf(element: Element): string {
  const label = element.getAttribute('aria-label');
  if (label) return label.trim();
  const labelledBy = element.getAttribute('aria-labelledby');
  if (labelledBy) return labelledBy.split(/\s+/).map((id) => element.ownerDocument.getElementById(id)?.textContent ?? '').join(' ').trim();
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function allByRole(root: ParentNode, role: string, name?: string | RegExp): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('*')].filter((element) => {
    if (roleOf(element) !== role) return false;
    if (name === undefined) return true;
    const actual = nameOf(element);
    return typeof name === 'string' ? actual === name : name.test(actual);
  });
}

export function byRole(root: ParentNode, role: string, name?: string | RegExp): HTMLElement {
  const found = allByRole(root, role, name);
  if (found.length !== 1) throw new Error(`expected one ${role} named ${String(name)}, found ${found.length}`);
  return found[0]!;
}
