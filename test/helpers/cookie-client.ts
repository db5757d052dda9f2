// A cookie-keeping HTTP client that behaves like a browser where sign-in tests need it: one cookie jar per host,
// redirects followed by hand (each hop visible), form posts. Paths, expiry and Secure are ignored: tests run on
// loopback over http.
export interface Hop {
  url: string;
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

export class CookieClient {
  private readonly jars = new Map<string, Map<string, string>>();

  cookie(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).host)?.get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    if (!this.jars.has(host)) this.jars.set(host, new Map());
    this.jars.get(host)!.set(name, value);
  }

  cookieHeader(url: string): string {
    return [...(this.jars.get(new URL(url).host) ?? new Map<string, string>()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Hop> {
    const headers: Record<string, string> = { ...init.headers };
    const cookies = this.cookieHeader(url);
    if (cookies) headers.cookie = cookies;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      const host = new URL(url).host;
      if (!this.jars.has(host)) this.jars.set(host, new Map());
      if (expired || value === '') this.jars.get(host)!.delete(name);
      else this.jars.get(host)!.set(name, value);
    }
    const location = response.headers.get('location');
    return { url, status: response.status, location: location ? new URL(location, url).toString() : null, body: await response.text(), headers: response.headers };
  }

  /** Follows redirects (GET) until a page answers or `stop` says the next URL is to be handled by the test. */
  async follow(first: Hop, stop: (url: string) => boolean = () => false, limit = 15): Promise<Hop> {
    let hop = first;
    for (let i = 0; i < limit && hop.location && hop.status >= 300 && hop.status < 400; i += 1) {
      if (stop(hop.location)) return hop;
      hop = await this.request(hop.location);
    }
    return hop;
  }
}

/** The value of a hidden form field in a page. */
export function formField(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}
