import { describe, expect, it } from "vitest";
import { hostOf, isLoopbackHost, splitUrl } from "./store-url";

describe("store addresses", () => {
  it("finds the host in an authority", () => {
    expect(hostOf("shop.example.com")).toBe("shop.example.com");
    expect(hostOf("shop.example.com:8443")).toBe("shop.example.com");
    expect(hostOf("[::1]:8080")).toBe("::1");
  });

  it("knows this computer's loopback addresses, as Rust does", () => {
    for (const host of [
      "localhost",
      "LOCALHOST",
      "127.0.0.1",
      "127.1.2.3",
      "::1",
      "0:0:0:0:0:0:0:1",
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ["10.0.0.5", "128.0.0.1", "127.0.0.256", "::2", "::", "shop.com", "127.1"]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it("splits a URL into scheme, authority and the rest", () => {
    expect(splitUrl("https://api.bigcommerce.com/stores/abc")).toEqual({
      scheme: "https",
      authority: "api.bigcommerce.com",
      rest: "api.bigcommerce.com/stores/abc",
    });
    expect(splitUrl("shop.com")).toBeNull();
  });
});
