/**
 * SMS text encoding: the GSM 03.38 alphabet ({@link dev.smsgateway.text.Gsm7}), UCS-2, and
 * {@link dev.smsgateway.text.SmsEncoding#plan(String, boolean)}, which answers in one call how many parts a text
 * needs, in which encoding, and which characters forced UCS-2.
 *
 * <pre>{@code
 * SegmentPlan plan = SmsEncoding.plan("\u201CHi\u201D \u2014 see you\u2026", true);
 * plan.encoding();       // GSM7, thanks to transliteration
 * plan.replacements();   // the 4 characters replaced, with their index
 * plan.parts();          // never splits an escape sequence or a surrogate pair
 * }</pre>
 */
package dev.smsgateway.text;
