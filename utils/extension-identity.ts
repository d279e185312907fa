/**
 * The extension's pinned identities. The OAuth redirect URIs registered at the
 * service derive from these, so changing one means re-registering the client.
 */

/**
 * Public half of the development signing key. Chrome derives the extension id
 * from it, which pins `chrome-extension://<id>` for unpacked and QA builds.
 * The private half was never kept: loading unpacked needs only this.
 */
export const CHROME_DEV_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqgkY0Pks2T1bowAuyXDMtIEplVitpk/uJgisTrfrNHCsmtnfR5EEGB5+XHuG4V0pz1s2UtZJxC2uRIaA8WqkOWyv0KL15APf5cca39wtqwEwGPObYXMs8ODzWWOpMUyViEzPiilOEzUHSUq0mws85PSJ5hNV+zuTQexyHq7kq77WujoZrgMf4xvlVFF5LGTfss3I/8GuzgEJsIegehtjs7qkk8PRrZoTci66xFKmKuWFY7WUzYzZuB8VP/uhDicKA4V7lxrslEXec5J7KHJC87hETSbBUHYFT7QhW4kCaxfNNOheA6ryK/mViuVT0GgEQOfjI3NiFBNiDjN26ZUqkQIDAQAB';

/** Chrome extension id: first 128 bits of SHA-256(public key DER), hex digits mapped to a–p. */
export const CHROME_EXTENSION_ID = 'cohfjjbmjffeaenjgiofhalfbckieang';

/** Firefox add-on id (`browser_specific_settings.gecko.id`). */
export const GECKO_ID = 'expressai@expressai.dev';

/** `identity.getRedirectURL()` in Chrome: `https://<extension id>.chromiumapp.org/`. */
export const CHROME_REDIRECT_URI = `https://${CHROME_EXTENSION_ID}.chromiumapp.org/`;

/** `identity.getRedirectURL()` in Firefox: `https://<sha1-hex(add-on id)>.extensions.allizom.org/`. */
export const FIREFOX_REDIRECT_URI = 'https://2c1a6e525991efc09bbe9b593bbe6073e90b798e.extensions.allizom.org/';

/** The public OAuth client the service registers for this extension. */
export const OAUTH_CLIENT_ID = 'expressai-extension';
