// Small display rules for order fields.

const CHANNEL_NAMES: Record<string, string> = {
  shopify: "Shopify",
  woocommerce: "WooCommerce",
  bigcommerce: "BigCommerce",
  sandbox: "Sandbox store",
};

/** "shopify" → "Shopify"; an unknown channel id is shown as the backend sent it. */
export function channelName(channel: string): string {
  return CHANNEL_NAMES[channel.toLowerCase()] ?? channel;
}

/** Store order numbers are shown the way dealers know them: "#1001". */
export function orderNumber(number: string): string {
  return number.startsWith("#") ? number : `#${number}`;
}
