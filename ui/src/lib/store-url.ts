// Store addresses: the backend accepts https:// everywhere and plain http:// only on this
// machine's loopback address (the sandbox store, a developer's test server).

/** The host of a URL's authority ("[::1]:8080" → "::1", "shop.com:443" → "shop.com"). */
export function hostOf(authority: string): string {
  if (authority.startsWith("[")) return authority.slice(1).split("]")[0] ?? "";
  return authority.split(":")[0] ?? "";
}

/** `localhost`, 127.x.x.x or ::1, as Rust's `IpAddr::is_loopback` sees them. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === "localhost") return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    return octets.every((octet) => octet <= 255) && octets[0] === 127;
  }
  return isIpv6Loopback(host);
}

function isIpv6Loopback(host: string): boolean {
  if (!/^[0-9a-f:]+$/i.test(host) || !host.includes(":")) return false;
  const halves = host.split("::");
  if (halves.length > 2) return false;
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return false;
  const all = [...head, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tail];
  if (all.some((group) => group.length === 0 || group.length > 4)) return false;
  const values = all.map((group) => Number.parseInt(group, 16));
  return values.slice(0, 7).every((value) => value === 0) && values[7] === 1;
}

/** Splits "https://shop.com/path" into its scheme, authority and the rest; null if no "://". */
export function splitUrl(url: string): { scheme: string; authority: string; rest: string } | null {
  const at = url.indexOf("://");
  if (at < 0) return null;
  const rest = url.slice(at + 3);
  return { scheme: url.slice(0, at), authority: rest.split("/")[0] ?? "", rest };
}
