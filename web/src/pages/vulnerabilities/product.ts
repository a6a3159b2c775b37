/** Vendor and product names as people read them, from CPE or package-URL parts. */

/** A CPE name part in words: escapes undone, '_' as spaces ("usg_flex_100" → "usg flex 100"). */
export function cpeWords(part: string): string {
  return part.replace(/\\(.)/g, '$1').replace(/_+/g, ' ').trim();
}

/** A vendor with a capital: "zyxel" → "Zyxel". */
export function vendorName(vendor: string): string {
  const words = cpeWords(vendor);
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : '';
}

/** "zyxel", "usg_flex_100_firmware" → "Zyxel usg flex 100 firmware". */
export function productName(vendor: string, product: string): string {
  return [vendorName(vendor), cpeWords(product)].filter(Boolean).join(' ');
}
