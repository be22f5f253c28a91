package dev.smsgateway.smpp;

import dev.smsgateway.DeliveryReport;
import dev.smsgateway.InboundSms;
import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.ProviderListener;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ProcessRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SMSC delivers to us: the deliver_sm of every session, read off the wire by our PDU reader, decoded on the
 * inbound workers and answered. A delivery receipt is matched to its send through the {@link Correlator} (waiting a
 * little when it overtook its submit_sm_resp) and reported; a mobile-originated message has its addresses read,
 * its parts reassembled and is given to the listener. A listener that throws makes the answer ESME_RX_T_APPN, so the
 * SMSC delivers again.
 */
final class InboundHandler {

  // the provider's logger: the log lines are the provider's, whichever class writes them
  private static final Logger log = LoggerFactory.getLogger(SmppSmsProvider.class);
  // how long, and how many, refused MOs wait for their redelivery to reuse their id
  private static final Duration REFUSED_TTL = Duration.ofHours(24);
  private static final int REFUSED_CAPACITY = 10_000;

  private final SmppConfig config;
  private final String name;
  private final Correlator correlator;
  private final MultipartAssembler assembler;
  // whether a submit_sm_resp may still be in flight (a receipt that overtook it is worth waiting for)
  private final BooleanSupplier sendsInFlight;
  private final Supplier<ProviderListener> listener;
  // deliver_sm read by our PDU reader (never by jsmpp's session, which would hex-dump it at DEBUG), handled here
  private final Executor workers;
  private final RefusedInbound refused;

  InboundHandler(SmppConfig config, Correlator correlator, MultipartAssembler assembler, BooleanSupplier sendsInFlight,
      Supplier<ProviderListener> listener, Executor workers) {
    this.config = config;
    this.name = config.name;
    this.correlator = correlator;
    this.assembler = assembler;
    this.sendsInFlight = sendsInFlight;
    this.listener = listener;
    this.workers = workers;
    this.refused = new RefusedInbound(config.clock, REFUSED_TTL, REFUSED_CAPACITY);
  }

  /** The reader that takes {@code session}'s deliver_sm, data_sm and alert_notification off the wire. */
  CappedPduReader.Inbound reader(PipelinedSession session) {
    return new InboundReader(session);
  }

/**
 * The deliver_sm (and data_sm, alert_notification) of one session, read by our PDU reader instead of jsmpp's session
 * and handled on the inbound workers: decoded with jsmpp's decomposer, given to {@link #onDeliverSm}, answered.
 */
private final class InboundReader implements CappedPduReader.Inbound {
  private static final int DATA_SM = 0x00000103;
  private static final int ALERT_NOTIFICATION = 0x00000102;
  private final PipelinedSession session;

  InboundReader(PipelinedSession session) {
    this.session = session;
  }

  @Override
  public boolean takes(int commandId) {
    return commandId == PipelinedSession.DELIVER_SM || commandId == DATA_SM || commandId == ALERT_NOTIFICATION;
  }

  @Override
  public void accept(int commandId, int sequenceNumber, byte[] pdu) throws IOException {
    if (commandId == ALERT_NOTIFICATION) {
      return; // not used: we never set the alert_on_message_delivery flag; it has no response
    }
    if (commandId == DATA_SM) {
      session.answer(DATA_SM, 0x03, sequenceNumber); // ESME_RINVCMDID: data_sm is not supported
      return;
    }
    try {
      workers.execute(() -> handle(sequenceNumber, pdu));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IOException("provider closed", e);
    }
  }

  private void handle(int sequenceNumber, byte[] pdu) {
    int status;
    try {
      java.util.concurrent.CompletableFuture<Void> handled = onDeliverSm(DECOMPOSER.deliverSm(pdu));
      if (handled != null && !handled.isDone()) {
        // a receipt whose report the listener handles without holding this worker: answered once it is handled
        handled.whenComplete((v, e) -> {
          int answer = e == null ? 0 : refusedReport(e);
          answerQuietly(() -> session.answer(PipelinedSession.DELIVER_SM, answer, sequenceNumber));
        });
        return;
      }
      status = handled == null || !handled.isCompletedExceptionally() ? 0 : refusedReport(
          handled.handle((v, e) -> e).join());
    } catch (ProcessRequestException e) {
      status = e.getErrorCode();
    } catch (org.jsmpp.PDUStringException e) {
      answerQuietly(() -> session.genericNack(e.getErrorCode(), sequenceNumber));
      return;
    } catch (RuntimeException e) {
      log.warn("SMPP provider '{}': could not handle a deliver_sm ({}); answering ESME_RX_T_APPN", name,
          e.getClass().getSimpleName());
      status = SmppErrors.ESME_RX_T_APPN;
    }
    int answer = status;
    answerQuietly(() -> session.answer(PipelinedSession.DELIVER_SM, answer, sequenceNumber));
  }

  private void answerQuietly(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      // the link is gone: the SMSC delivers again after the rebind
      log.debug("SMPP provider '{}': could not answer a deliver_sm: {}", name, e.toString());
    }
  }
}

private interface IoAction {
  void run() throws IOException;
}

private static final org.jsmpp.util.PDUDecomposer DECOMPOSER = new org.jsmpp.util.DefaultDecomposer();

/** The answer to a receipt whose report the listener refused (its future failed): the SMSC delivers it again. */
private int refusedReport(Throwable error) {
  Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
      ? error.getCause() : error;
  log.warn("SMPP provider '{}': listener refused a delivery report ({}); answering ESME_RX_T_APPN so the SMSC"
      + " delivers it again", name, cause.toString());
  return SmppErrors.ESME_RX_T_APPN;
}

/**
 * A deliver_sm: a delivery receipt (by esm_class or a receipted_message_id TLV) or a mobile-originated message.
 * Returns, for a receipt, the listener's handling of its report (answer once it completes); null for the rest.
 */
private java.util.concurrent.CompletableFuture<Void> onDeliverSm(DeliverSm d) throws ProcessRequestException {
  int esm = d.getEsmClass() & 0xFF;
  int type = esm & 0x3C;
  OptionalParameter receipted = d.getOptionalParameter((short) SmppCodec.TAG_RECEIPTED_MESSAGE_ID);
  if (type == 0x04 || type == 0x08 || type == 0x10 || type == 0x20 || receipted != null) {
    return onReceipt(d, receipted);
  }
  onMobileOriginated(d, esm);
  return null;
}

private java.util.concurrent.CompletableFuture<Void> onReceipt(DeliverSm d, OptionalParameter receipted)
    throws ProcessRequestException {
  byte[] sm = d.getShortMessage();
  if ((sm == null || sm.length == 0)) {
    OptionalParameter payload = d.getOptionalParameter((short) SmppCodec.TAG_MESSAGE_PAYLOAD);
    sm = payload == null ? null : value(payload);
  }
  String text = sm == null ? null : new String(sm, StandardCharsets.ISO_8859_1);
  String tlvId = receipted == null ? null : new String(value(receipted), StandardCharsets.ISO_8859_1);
  OptionalParameter stateTlv = d.getOptionalParameter((short) SmppCodec.TAG_MESSAGE_STATE);
  byte[] state = stateTlv == null ? null : value(stateTlv);
  int tlvState = state != null && state.length == 1 ? state[0] & 0xFF : -1;
  DeliveryReceipts.Parsed parsed = DeliveryReceipts.parse(text, tlvId, tlvState);
  if (parsed.id() == null) {
    log.warn("SMPP provider '{}': delivery receipt without a message id, refused (status {}, {} bytes)", name,
        parsed.status(), sm == null ? 0 : sm.length);
    throw new ProcessRequestException("receipt without message id", SmppErrors.ESME_RX_P_APPN);
  }
  Correlator.Target target;
  try {
    // a receipt can overtake its submit_sm_resp: wait a little for the response still in flight
    target = correlator.await(parsed.id(), sendsInFlight.getAsBoolean() ? config.receiptWait.toMillis() : 0);
  } catch (InterruptedException e) {
    Thread.currentThread().interrupt();
    throw new ProcessRequestException("interrupted", SmppErrors.ESME_RX_T_APPN);
  }
  DeliveryReport report = DeliveryReport.builder().provider(name)
      .providerMessageId(target != null ? target.providerMessageId() : parsed.id())
      .messageId(target != null ? target.messageId() : null)
      .status(parsed.status()).rawStatus(parsed.rawStatus()).errorCode(parsed.error())
      .occurredAt(parsed.doneDate() != null ? parsed.doneDate() : config.clock.instant())
      .part(target != null ? target.part() : -1)
      .build();
  try {
    return listener.get().onDeliveryReportAsync(report);
  } catch (RuntimeException e) {
    return java.util.concurrent.CompletableFuture.failedFuture(e);
  }
}

private void onMobileOriginated(DeliverSm d, int esm) throws ProcessRequestException {
  byte[] sm = d.getShortMessage();
  OptionalParameter payload = d.getOptionalParameter((short) SmppCodec.TAG_MESSAGE_PAYLOAD);
  if ((sm == null || sm.length == 0) && payload != null) {
    sm = value(payload);
  }
  SmppCodec.Decoded decoded = SmppCodec.decode(esm, d.getDataCoding(), sm, config.gsmDefaultAlphabet);
  int ref = decoded.ref();
  int total = decoded.total();
  int seq = decoded.seq();
  if (!decoded.multipart()) {
    OptionalParameter sarRef = d.getOptionalParameter((short) SmppCodec.TAG_SAR_MSG_REF_NUM);
    OptionalParameter sarTotal = d.getOptionalParameter((short) SmppCodec.TAG_SAR_TOTAL_SEGMENTS);
    OptionalParameter sarSeq = d.getOptionalParameter((short) SmppCodec.TAG_SAR_SEGMENT_SEQNUM);
    if (sarRef != null && sarTotal != null && sarSeq != null) {
      ref = unsigned(value(sarRef));
      total = unsigned(value(sarTotal));
      seq = unsigned(value(sarSeq));
    }
  }
  PhoneNumber from;
  Originator to;
  try {
    to = business(d.getDestAddress(), d.getDestAddrTon());
    from = customer(d.getSourceAddr(), d.getSourceAddrTon(), inboundRegion(to));
  } catch (SmsException e) {
    log.warn("SMPP provider '{}': inbound message with an unusable address refused: {}", name, e.getMessage());
    throw new ProcessRequestException("bad address", SmppErrors.ESME_RX_P_APPN);
  }
  if (total <= 1) {
    deliverInbound(from, to, decoded.text(), 1);
    return;
  }
  String key = from.e164() + "|" + to.key() + "|" + ref;
  MultipartAssembler.Result result = assembler.add(key, total, seq, decoded.text());
  if (result.outcome() != MultipartAssembler.Outcome.COMPLETE) {
    return;
  }
  try {
    deliverInbound(from, to, result.message().text(), total);
  } catch (ProcessRequestException e) {
    assembler.reopen(key, total, seq, result.message());
    throw e;
  }
}

private void deliverInbound(PhoneNumber from, Originator to, String text, int parts) throws ProcessRequestException {
  // a redelivery of an MO we refused gets the id its refused delivery had (see RefusedInbound)
  String key = RefusedInbound.key(from.e164(), to.key(), parts, text);
  String id = refused.take(key).orElseGet(() -> name + "-" + UUID.randomUUID());
  InboundSms sms = InboundSms.builder().provider(name).providerMessageId(id)
      .from(from).to(to).body(text).receivedAt(config.clock.instant()).parts(parts).build();
  try {
    listener.get().onInbound(sms);
  } catch (RuntimeException e) {
    refused.refusedNow(key, id);
    log.warn("SMPP provider '{}': listener refused an inbound message ({}); answering ESME_RX_T_APPN so the SMSC"
        + " delivers it again", name, e.toString());
    throw new ProcessRequestException("listener failed", SmppErrors.ESME_RX_T_APPN);
  }
}

/** The region to read a national customer number sent to {@code business} in: the business number's, else ours. */
private String inboundRegion(Originator business) {
  if (config.inboundRegions != null) {
    try {
      Optional<String> region = config.inboundRegions.apply(business);
      if (region != null && region.isPresent()) {
        return region.get();
      }
    } catch (RuntimeException e) {
      log.warn("SMPP provider '{}': inboundRegions failed for {}; reading the number with {}", name, business,
          config.defaultRegion, e);
    }
  }
  return config.defaultRegion;
}

private PhoneNumber customer(String addr, byte ton, String region) {
  String a = addr == null ? "" : addr.strip();
  if (a.startsWith("+")) {
    return PhoneNumber.of(a);
  }
  if (ton == TypeOfNumber.INTERNATIONAL.value() && PhoneNumber.isE164("+" + a)) {
    return PhoneNumber.of("+" + a);
  }
  if (region != null) {
    return PhoneNumbers.normalize(a, region, "source_addr");
  }
  if (PhoneNumber.isE164("+" + a) && a.length() >= 8) {
    return PhoneNumber.of("+" + a);
  }
  throw new SmsValidationException("source_addr", "is not a phone number we can read: " + PhoneNumbers.mask(a));
}

private Originator business(String addr, byte ton) {
  String a = addr == null ? "" : addr.strip();
  if (a.isEmpty()) {
    if (config.defaultOriginator != null) {
      return config.defaultOriginator;
    }
    throw new SmsValidationException("destination_addr", "is empty");
  }
  if (a.chars().allMatch(Character::isDigit)) {
    if (a.length() >= 3 && a.length() <= 8 && ton != TypeOfNumber.INTERNATIONAL.value()) {
      return Originator.shortCode(a, config.defaultRegion != null ? config.defaultRegion : "ZZ");
    }
    if (PhoneNumber.isE164("+" + a)) {
      return Originator.longCode(PhoneNumber.of("+" + a));
    }
  }
  return Originator.parse(a, config.defaultRegion);
}

private static byte[] value(OptionalParameter p) {
  byte[] all = p.serialize();
  byte[] v = new byte[all.length - 4];
  System.arraycopy(all, 4, v, 0, v.length);
  return v;
}

private static int unsigned(byte[] b) {
  int v = 0;
  for (byte x : b) {
    v = (v << 8) | (x & 0xFF);
  }
  return v;
}
}
