// Sales channels in words: platform names, what each platform's form asks for, and the checks
// the form makes before it asks the backend (which checks again, and more).

import type { ChannelInput, ChannelKind, CommandError } from "../bindings";
import { hostOf, isLoopbackHost, splitUrl } from "../lib/store-url";

export interface PlatformCopy {
  label: string;
  urlPlaceholder: string;
  urlHelp: string;
  /** Shopify and BigCommerce take one token; WooCommerce a consumer key and secret. */
  credentials: "token" | "key_secret";
  tokenLabel: string;
  credentialsHelp: string;
}

const PLATFORMS: Record<ChannelKind, PlatformCopy> = {
  shopify: {
    label: "Shopify",
    urlPlaceholder: "https://your-shop.myshopify.com",
    urlHelp:
      "Your store's myshopify.com address, without a path, even if customers use your own domain (Shopify admin → Settings → Domains).",
    credentials: "token",
    tokenLabel: "Admin API access token",
    credentialsHelp:
      "In Shopify: Settings → Apps and sales channels → Develop apps → your app → API credentials. The app needs read access to orders.",
  },
  woocommerce: {
    label: "WooCommerce",
    urlPlaceholder: "https://your-wordpress-site.com",
    urlHelp: "The address of the WordPress site the shop runs on.",
    credentials: "key_secret",
    tokenLabel: "",
    credentialsHelp:
      "In WordPress: WooCommerce → Settings → Advanced → REST API → Add key, with Read permission.",
  },
  bigcommerce: {
    label: "BigCommerce",
    urlPlaceholder: "https://api.bigcommerce.com/stores/{store hash}",
    urlHelp:
      "The API path shown with your store-level API account: https://api.bigcommerce.com/stores/ followed by your store hash.",
    credentials: "token",
    tokenLabel: "API access token",
    credentialsHelp:
      "In BigCommerce: Settings → Store-level API accounts → Create API account, with read access to orders.",
  },
};

/** The platforms in the order the form offers them. */
export const CHANNEL_KINDS = Object.keys(PLATFORMS) as ChannelKind[];

export function platform(kind: ChannelKind): PlatformCopy {
  return PLATFORMS[kind];
}

/** "shopify" → "Shopify"; a platform added on the Rust side shows as sent until it gets a name. */
export function kindLabel(kind: ChannelKind): string {
  return PLATFORMS[kind]?.label ?? kind;
}

export const MAX_NAME_LENGTH = 60;

/** Where a channel's connection test is. */
export type ConnectionTest =
  | { state: "running" }
  | { state: "connected"; storeName: string; apiVersion: string | null }
  | { state: "failed"; message: string };

/** What the dealer typed, as typed. */
export interface ChannelFormValues {
  kind: ChannelKind;
  name: string;
  url: string;
  token: string;
  consumerKey: string;
  consumerSecret: string;
}

export type ChannelField = "name" | "url" | "token" | "consumerKey" | "consumerSecret";

export type ChannelFormProblems = Partial<Record<ChannelField, string>>;

const blank = (text: string) => text.trim() === "";

/**
 * Why the form cannot be sent yet, field by field; empty when it can. When `editing`, blank
 * credentials keep the stored ones, but a WooCommerce key and secret are replaced together.
 */
export function channelFormProblems(
  values: ChannelFormValues,
  editing: boolean,
): ChannelFormProblems {
  const problems: ChannelFormProblems = {};
  const name = values.name.trim();
  if (name === "") {
    problems.name = "Enter a name for this store, for example “Main store”.";
  } else if ([...name].length > MAX_NAME_LENGTH) {
    problems.name = `Use at most ${MAX_NAME_LENGTH} characters.`;
  }
  const urlProblem = storeUrlProblem(values.kind, values.url);
  if (urlProblem) problems.url = urlProblem;

  const copy = platform(values.kind);
  if (copy.credentials === "token") {
    if (!editing && blank(values.token)) problems.token = `Enter the ${copy.tokenLabel}.`;
  } else {
    const noKey = blank(values.consumerKey);
    const noSecret = blank(values.consumerSecret);
    if (editing && noKey !== noSecret) {
      const missing = noKey ? "consumerKey" : "consumerSecret";
      problems[missing] =
        `Enter the consumer ${noKey ? "key" : "secret"} too, or leave both blank to keep the stored keys.`;
    } else if (!editing) {
      if (noKey) problems.consumerKey = "Enter the consumer key.";
      if (noSecret) problems.consumerSecret = "Enter the consumer secret.";
    }
  }
  return problems;
}

/** An empty address, one that is not a web address, or http:// away from this computer. */
export function storeUrlProblem(kind: ChannelKind, url: string): string | null {
  const example = platform(kind).urlPlaceholder;
  const trimmed = url.trim();
  if (trimmed === "") return `Enter the store's address, for example ${example}.`;
  const parts = splitUrl(trimmed);
  if (!parts || parts.authority === "") {
    return `Enter the full address, starting with https://, for example ${example}.`;
  }
  const scheme = parts.scheme.toLowerCase();
  if (scheme === "http" && !isLoopbackHost(hostOf(parts.authority))) {
    return "Use https://. Plain http:// is only accepted for a test store on this computer (localhost, 127.0.0.1 or [::1]).";
  }
  if (scheme !== "https" && scheme !== "http") {
    return `Use an address starting with https://, for example ${example}.`;
  }
  return null;
}

/** The command's input: only the kind's credentials, blanks sent as null (kept when editing). */
export function channelInput(values: ChannelFormValues): ChannelInput {
  const given = (text: string) => (blank(text) ? null : text.trim());
  const token = platform(values.kind).credentials === "token";
  return {
    kind: values.kind,
    name: values.name.trim(),
    url: values.url.trim(),
    token: token ? given(values.token) : null,
    consumer_key: token ? null : given(values.consumerKey),
    consumer_secret: token ? null : given(values.consumerSecret),
  };
}

const FIELD_NAMES: Record<string, string> = {
  name: "Name",
  url: "Store URL",
  credentials: "Credentials",
};

/**
 * A failed save in the dealer's words. Input errors arrive as "field: message"; the field is
 * named as the form labels it.
 */
export function saveErrorMessage(error: CommandError): string {
  const match = /^(\w+): (.*)$/s.exec(error.message);
  const field = match?.[1] ? FIELD_NAMES[match[1]] : undefined;
  const text = field && match?.[2] ? `${field}: ${match[2]}` : error.message;
  return `The channel was not saved. ${text}`;
}
