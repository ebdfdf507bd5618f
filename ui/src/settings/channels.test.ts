import { describe, expect, it } from "vitest";
import {
  type ChannelFormValues,
  channelFormProblems,
  channelInput,
  kindLabel,
  saveErrorMessage,
  storeUrlProblem,
} from "./channels";
import { planInterval, planOption } from "./plans";

const SHOPIFY: ChannelFormValues = {
  kind: "shopify",
  name: "Main store",
  url: "https://main-store.myshopify.com",
  token: "shpat_1",
  consumerKey: "",
  consumerSecret: "",
};

const WOO: ChannelFormValues = {
  ...SHOPIFY,
  kind: "woocommerce",
  url: "https://shop.example.com",
  token: "",
  consumerKey: "ck_1",
  consumerSecret: "cs_1",
};

describe("channel form checks", () => {
  it("passes a complete form", () => {
    expect(channelFormProblems(SHOPIFY, false)).toEqual({});
    expect(channelFormProblems(WOO, false)).toEqual({});
  });

  it("asks for a name of at most 60 characters", () => {
    expect(channelFormProblems({ ...SHOPIFY, name: "   " }, false).name).toMatch(/Enter a name/);
    expect(channelFormProblems({ ...SHOPIFY, name: "x".repeat(61) }, false).name).toBe(
      "Use at most 60 characters.",
    );
    expect(channelFormProblems({ ...SHOPIFY, name: "x".repeat(60) }, false).name).toBeUndefined();
  });

  it("wants https, except on this computer", () => {
    expect(storeUrlProblem("shopify", "")).toBe(
      "Enter the store's address, for example https://your-shop.myshopify.com.",
    );
    expect(storeUrlProblem("shopify", "main-store.myshopify.com")).toMatch(/starting with https/);
    expect(storeUrlProblem("shopify", "http://main-store.myshopify.com")).toMatch(
      /^Use https:\/\//,
    );
    expect(storeUrlProblem("shopify", "http://10.0.0.5")).toMatch(/^Use https:\/\//);
    expect(storeUrlProblem("shopify", "ftp://main-store.myshopify.com")).toMatch(/https:\/\//);
    expect(storeUrlProblem("shopify", "https://main-store.myshopify.com")).toBeNull();
    expect(storeUrlProblem("shopify", "HTTPS://Main-Store.myshopify.com")).toBeNull();
    expect(storeUrlProblem("shopify", "http://localhost:8080")).toBeNull();
    expect(storeUrlProblem("shopify", "http://127.0.0.1:38211")).toBeNull();
    expect(storeUrlProblem("shopify", "http://[::1]:8080")).toBeNull();
    expect(storeUrlProblem("bigcommerce", "")).toMatch(
      "https://api.bigcommerce.com/stores/{store hash}",
    );
  });

  it("needs the platform's credentials when adding", () => {
    expect(channelFormProblems({ ...SHOPIFY, token: " " }, false)).toEqual({
      token: "Enter the Admin API access token.",
    });
    expect(channelFormProblems({ ...SHOPIFY, kind: "bigcommerce", token: "" }, false)).toEqual({
      token: "Enter the API access token.",
    });
    expect(channelFormProblems({ ...WOO, consumerKey: "", consumerSecret: "" }, false)).toEqual({
      consumerKey: "Enter the consumer key.",
      consumerSecret: "Enter the consumer secret.",
    });
  });

  it("keeps stored credentials when editing, but replaces WooCommerce keys in pairs", () => {
    expect(channelFormProblems({ ...SHOPIFY, token: "" }, true)).toEqual({});
    expect(channelFormProblems({ ...WOO, consumerKey: "", consumerSecret: "" }, true)).toEqual({});
    expect(channelFormProblems({ ...WOO, consumerSecret: "" }, true)).toEqual({
      consumerSecret: "Enter the consumer secret too, or leave both blank to keep the stored keys.",
    });
  });
});

describe("channel input", () => {
  it("sends only the platform's credentials, trimmed, and blanks as null", () => {
    expect(channelInput({ ...SHOPIFY, name: " Main store ", consumerKey: "stale" })).toEqual({
      kind: "shopify",
      name: "Main store",
      url: "https://main-store.myshopify.com",
      token: "shpat_1",
      consumer_key: null,
      consumer_secret: null,
    });
    expect(channelInput({ ...WOO, token: "stale", consumerKey: " ck_1\n" })).toEqual({
      kind: "woocommerce",
      name: "Main store",
      url: "https://shop.example.com",
      token: null,
      consumer_key: "ck_1",
      consumer_secret: "cs_1",
    });
    expect(channelInput({ ...SHOPIFY, token: "" }).token).toBeNull();
  });
});

describe("words", () => {
  it("names the platforms", () => {
    expect(kindLabel("shopify")).toBe("Shopify");
    expect(kindLabel("woocommerce")).toBe("WooCommerce");
    expect(kindLabel("bigcommerce")).toBe("BigCommerce");
  });

  it("names the field a backend input error is about", () => {
    expect(
      saveErrorMessage({
        code: "invalid_input",
        message: "url: https://x.com/admin has a path; use https://{shop}.myshopify.com",
      }),
    ).toBe(
      "The channel was not saved. Store URL: https://x.com/admin has a path; use https://{shop}.myshopify.com",
    );
    expect(
      saveErrorMessage({ code: "invalid_input", message: "enter the store's credentials" }),
    ).toBe("The channel was not saved. enter the store's credentials");
    expect(saveErrorMessage({ code: "storage", message: "The database failed: disk full" })).toBe(
      "The channel was not saved. The database failed: disk full",
    );
  });

  it("says how often each plan imports", () => {
    expect(planOption("basic")).toBe("Basic — imports hourly");
    expect(planOption("plus")).toBe("Plus — every 15 minutes");
    expect(planOption("vip")).toBe("VIP — every 15 minutes");
    expect(planInterval("basic")).toBe("every hour");
    expect(planInterval("vip")).toBe("every 15 minutes");
  });
});
