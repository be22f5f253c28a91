package dev.smsgateway.smpp;

import dev.smsgateway.smpp.wire.QuietPduSender;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.PDUReader;
import org.jsmpp.bean.BindResp;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.DataCoding;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.SubmitSmResp;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.PendingResponse;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.connection.ConnectionFactory;

/**
 * A jsmpp session that can also submit without blocking a thread per outstanding request: {@link #submit} writes the
 * {@code submit_sm} and returns; the {@code submit_sm_resp} (or a {@code generic_nack}) is handed to the request's
 * {@link Outstanding} on jsmpp's PDU processing thread. jsmpp matches responses through
 * {@link #removePendingResponse}, which this session consults for its own requests first; everything else (bind,
 * enquire_link, unbind) stays jsmpp's.
 *
 * <p>A request stays registered until it is answered, {@link #expire expired} or {@link #failAll failed}, so one whose
 * response jsmpp cannot decode is still resolved by the timeout instead of being forgotten.
 *
 * <p>Thread-safe.
 */
final class PipelinedSession extends SMPPSession {

  /** What a submit is waiting for; completed exactly once. */
  abstract static class Outstanding extends PendingResponse<Command> {
    private volatile PipelinedSession session;
    private volatile int sequence;
    private volatile long sentNanos;

    Outstanding() {
      super(0);
    }

    /** The SMSC answered: {@code status} 0 with its message id, or a refusal. */
    abstract void answered(int status, String messageId);

    /** The request failed without an answer we can use (invalid response, timeout, lost link). */
    abstract void failed(Failure failure, Exception cause);

    @Override
    public final void done(Command response) {
      if (release()) {
        String id = response instanceof SubmitSmResp r ? r.getMessageId() : null;
        answered(response.getCommandStatus(), id);
      }
    }

    @Override
    public final void doneWithInvalidResponse(InvalidResponseException e) {
      if (release()) {
        failed(Failure.INVALID_RESPONSE, e);
      }
    }

    private boolean release() {
      PipelinedSession s = session;
      return s != null && s.outstanding.remove(sequence, this);
    }
  }

  /** Why an outstanding submit failed. */
  enum Failure { INVALID_RESPONSE, TIMEOUT, CONNECTION_LOST }

  private final Map<Integer, Outstanding> outstanding = new ConcurrentHashMap<>();
  // the status of a bind_resp that refused the bind; 0 while none came
  private volatile int bindRefusal;

  PipelinedSession(PDUReader reader, ConnectionFactory connectionFactory) {
    super(new QuietPduSender(), reader, connectionFactory);
  }

  /**
   * What this session's reader calls when it reads a bind_resp that refuses the bind: the refusal is remembered for
   * {@link #bindRefusal()} and jsmpp's wait for the bind ends at once, whether or not the SMSC closes the connection
   * right after. jsmpp is handed a stand-in positive bind_resp, because every other way of ending its wait makes
   * {@code connectAndBind} log an ERROR with a stack trace beside our own line (and {@code doneWithInvalidResponse}
   * is lost when it comes before the waiting thread waits, jsmpp 3.0.2's PendingResponse checking only for a
   * response). The caller must check {@link #bindRefusal()} after {@code connectAndBind} returns and close the
   * session; it is never used.
   */
  CappedPduReader.BindWatcher bindWatcher() {
    return (status, sequenceNumber) -> {
      bindRefusal = status;
      PendingResponse<Command> pending = super.removePendingResponse(sequenceNumber);
      if (pending != null) {
        pending.done(standIn(sequenceNumber));
      }
    };
  }

  /**
   * Ends jsmpp's wait for this session's bind_resp with a stand-in (see {@link #bindWatcher}) because the provider
   * is closing; the caller closes the session when {@code connectAndBind} returns. Nothing happens if the bind was
   * not sent yet: its answer then ends the wait.
   */
  void abandonBind() {
    // before the bind is answered the bind is jsmpp's only request: the last sequence number given out
    PendingResponse<Command> pending = super.removePendingResponse(sequence().currentValue());
    if (pending != null) {
      pending.done(standIn(sequence().currentValue()));
    }
  }

  private static BindResp standIn(int sequenceNumber) {
    BindResp standIn = new BindResp();
    standIn.setCommandLength(16);
    standIn.setSequenceNumber(sequenceNumber);
    standIn.setSystemId("");
    standIn.setOptionalParameters(new OptionalParameter[0]);
    return standIn;
  }

  /** The command_status of the bind_resp that refused this session's bind, or 0 if none did. */
  int bindRefusal() {
    return bindRefusal;
  }

  /**
   * Writes one {@code submit_sm}; its answer goes to {@code o}, exactly once. Throws {@link IOException} when the
   * session cannot transmit or the write fails (then the PDU did not reach the SMSC, {@code o} is not registered and
   * the session is closed, as jsmpp does for its own requests) — unless {@code o} was already failed meanwhile.
   */
  void submit(Outstanding o, String serviceType, TypeOfNumber sourceTon, NumberingPlanIndicator sourceNpi,
      String source, TypeOfNumber destTon, NumberingPlanIndicator destNpi, String destination, ESMClass esm,
      String validity, RegisteredDelivery registeredDelivery, DataCoding dataCoding, byte[] shortMessage,
      OptionalParameter[] tlvs) throws IOException, PDUException {
    ensureTransmittable("submit_sm");
    int seq = sequence().nextValue();
    o.session = this;
    o.sequence = seq;
    o.sentNanos = System.nanoTime();
    outstanding.put(seq, o);
    try {
      pduSender().sendSubmitSm(connection().getOutputStream(), seq, serviceType, sourceTon, sourceNpi, source,
          destTon, destNpi, destination, esm, (byte) 0, (byte) 0, null, validity, registeredDelivery, (byte) 0,
          dataCoding, (byte) 0, shortMessage, tlvs);
    } catch (IOException e) {
      close();
      if (outstanding.remove(seq, o)) {
        throw e;
      }
      // failAll or expire resolved it while the write failed: it has its answer, do not report it twice
    } catch (PDUException | RuntimeException e) {
      if (outstanding.remove(seq, o)) {
        throw e;
      }
    }
  }

  @Override
  protected PendingResponse<Command> removePendingResponse(int sequenceNumber) {
    // not removed here: Outstanding.done removes it, so a response jsmpp fails to decode still times out
    Outstanding o = outstanding.get(sequenceNumber);
    return o != null ? o : super.removePendingResponse(sequenceNumber);
  }

  /** Answers a request the SMSC sent us with a response PDU carrying only {@code status} (deliver_sm_resp etc.). */
  void answer(int commandId, int status, int sequenceNumber) throws IOException {
    if (commandId == DELIVER_SM) {
      pduSender().sendDeliverSmResp(connection().getOutputStream(), status, sequenceNumber, null);
    } else {
      pduSender().sendHeader(connection().getOutputStream(), commandId | 0x80000000, status, sequenceNumber);
    }
  }

  /** Answers a PDU we could not decode. */
  void genericNack(int status, int sequenceNumber) throws IOException {
    pduSender().sendGenericNack(connection().getOutputStream(), status, sequenceNumber);
  }

  static final int DELIVER_SM = 0x00000005;

  /** Requests written and not answered yet. */
  int outstanding() {
    return outstanding.size();
  }

  /** Fails every request older than {@code timeoutNanos}. */
  void expire(long nowNanos, long timeoutNanos) {
    if (outstanding.isEmpty()) {
      return;
    }
    for (Iterator<Outstanding> it = outstanding.values().iterator(); it.hasNext(); ) {
      Outstanding o = it.next();
      if (nowNanos - o.sentNanos >= timeoutNanos && outstanding.remove(o.sequence, o)) {
        o.failed(Failure.TIMEOUT, null);
      }
    }
  }

  /** Fails every outstanding request: the link is gone, their responses will never come. */
  void failAll(Failure failure) {
    for (Outstanding o : outstanding.values()) {
      if (outstanding.remove(o.sequence, o)) {
        o.failed(failure, null);
      }
    }
  }
}
