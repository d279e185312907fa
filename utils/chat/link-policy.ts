/**
 * Which links in an answer are live. Model output is untrusted: only `https:`
 * and `mailto:` links work, and each shows where it goes; everything else
 * (javascript:, data:, http:, file:, relative…) stays plain text.
 */

export interface LiveLink {
  /** What the user is shown beside the link text: the full host, or the mail address. */
  destination: string;
}

/** The link's destination if it may be live, else `null`. Expects an already normalized URL. */
export function liveLink(url: string): LiveLink | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // relative, or not a URL at all
  }
  if (parsed.protocol === 'https:') return parsed.host ? { destination: parsed.host } : null;
  if (parsed.protocol === 'mailto:') {
    const address = safeDecode(parsed.pathname);
    return address ? { destination: address } : null;
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
