/**
 * An SMPP 3.4 {@link dev.smsgateway.SmsProvider} on jsmpp: {@link dev.smsgateway.smpp.SmppSmsProvider}, created with
 * its builder or by name through {@link dev.smsgateway.smpp.SmppSmsProviderFactory} ({@code smpp}).
 *
 * <pre>{@code
 * SmsProvider smpp = SmppSmsProvider.builder()
 *     .host("smsc.example.net").systemId("esme").password(secret)
 *     .binds(2).window(10).partsPerSecond(50)
 *     .build();
 * }</pre>
 *
 * <p>References: SMPP 3.4 specification (command_status values in section 5.1.3, data_coding in 5.2.19, TLVs in
 * 5.3, delivery receipt text in Appendix B); 3GPP TS 23.038 (GSM 7-bit alphabet, coding groups) and TS 23.040
 * section 9.2.3.24 (concatenation headers); jsmpp: https://github.com/opentelecoms-org/jsmpp. Keep the
 * {@code org.jsmpp} logger at INFO: at DEBUG it logs whole PDUs in hex, bind password included.
 */
package dev.smsgateway.smpp;
