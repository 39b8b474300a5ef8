// How long an SMS is, the same rule as contact_center/tickets/sms_length.py (both are tested
// on tests/tickets/sms_length_cases.json): GSM-7 (160 in one message, 153 per part; the
// extension characters take two) unless any character is outside it, then UCS-2 (70, 67; a
// character beyond the BMP takes two). A pair is never split between parts.
"use strict";

(function (root) {
  const GSM_BASIC = new Set(Array.from(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"));
  const GSM_EXTENSION = new Set(Array.from("^{}\\[~]|€\f"));
  const SINGLE = { gsm7: 160, ucs2: 70 };
  const PART = { gsm7: 153, ucs2: 67 };

  function smsLength(text) {
    const chars = Array.from(text); // code points, as Python iterates a str
    const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
    const encoding = gsm ? "gsm7" : "ucs2";
    const weights = chars.map((c) =>
      gsm ? (GSM_EXTENSION.has(c) ? 2 : 1) : (c.codePointAt(0) > 0xffff ? 2 : 1));
    const units = weights.reduce((a, b) => a + b, 0);
    if (units <= SINGLE[encoding]) {
      return { encoding, characters: chars.length, units, segments: units ? 1 : 0,
        per_segment: SINGLE[encoding], remaining: SINGLE[encoding] - units };
    }
    const size = PART[encoding];
    let segments = 1;
    let used = 0;
    for (const weight of weights) {
      if (used + weight > size) { segments += 1; used = 0; }
      used += weight;
    }
    return { encoding, characters: chars.length, units, segments, per_segment: size,
      remaining: size - used };
  }

  if (typeof module !== "undefined" && module.exports) module.exports = { smsLength };
  else root.CCSms = { smsLength };
})(typeof window !== "undefined" ? window : this);
