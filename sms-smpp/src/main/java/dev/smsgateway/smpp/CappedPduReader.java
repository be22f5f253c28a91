package dev.smsgateway.smpp;

import java.io.DataInputStream;
import java.io.IOException;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.InvalidCommandLengthException;
import org.jsmpp.PDUReader;
import org.jsmpp.bean.Command;

/**
 * A {@link PDUReader} that refuses a command_length below the 16-byte header or above a cap before allocating
 * anything. jsmpp's {@link DefaultPDUReader} allocates whatever command_length says (a peer claiming 0x7FFFFFF0
 * bytes costs 2 GiB) and reads short lengths into a negative-size array. On a refused length jsmpp answers
 * {@code generic_nack} (ESME_RINVCMDLEN) and closes the session; our supervisor then reconnects. A
 * {@code deliver_sm} whose fields and TLVs do not add up to its length (jsmpp would drop it without an answer) closes
 * the connection too, so the SMSC delivers it again after the rebind.
 *
 * <p>Thread-safe (stateless; each session reads on one thread).
 */
final class CappedPduReader implements PDUReader {

  /** The default cap: a submit_sm with a 64 KiB message_payload still fits. */
  static final int DEFAULT_MAX = 70_000;

  private static final int DELIVER_SM = 0x00000005;

  /** Takes the PDUs the provider reads itself, so that jsmpp's session never sees (nor logs) them. */
  interface Inbound {
    /** Whether PDUs with this command_id are the provider's. */
    boolean takes(int commandId);

    /** One whole, well-formed PDU; called on the reading thread, in order (may block to push back). */
    void accept(int commandId, int sequenceNumber, byte[] pdu) throws IOException;
  }

  /** Told of a refused bind before jsmpp's session could lose it (see {@link #watchBind}). */
  interface BindWatcher {
    /** A bind_*_resp with a non-zero status, read whole and kept from jsmpp. */
    void refused(int status, int sequenceNumber);
  }

  private static final int BIND_RECEIVER_RESP = 0x80000001;
  private static final int BIND_TRANSMITTER_RESP = 0x80000002;
  private static final int BIND_TRANSCEIVER_RESP = 0x80000009;

  private final int max;
  private final Runnable onMalformed;
  private final DefaultPDUReader delegate = new DefaultPDUReader();
  private volatile Inbound inbound;
  private volatile BindWatcher bindWatcher;

  /**
   * @param onMalformed told when a PDU is refused, before jsmpp starts its unbind (which it does on its reader
   *     thread, so that the unbind_resp can never be read and the reader hangs for the response timeout)
   */
  CappedPduReader(int max, Runnable onMalformed) {
    this.max = max;
    this.onMalformed = onMalformed;
  }

  /**
   * From now on, a refused bind is told to {@code watcher} on the reading thread, before the reader goes on to the
   * end of the stream that often follows it. jsmpp hands a bind_resp to a worker thread and closes the session on
   * end of stream on the reading thread, so when an SMSC refuses a bind and closes at once the close often wins: the
   * refusal is dropped and the bind waits out its timeout as if the SMSC had said nothing. Read here, the refusal
   * always comes first.
   */
  void watchBind(BindWatcher watcher) {
    this.bindWatcher = watcher;
  }

  /** From now on, PDUs {@code inbound} takes go to it instead of to jsmpp's session. */
  void divert(Inbound inbound) {
    this.inbound = inbound;
  }

  /**
   * The next PDU header for jsmpp. PDUs the {@link Inbound} takes (deliver_sm: customers' numbers and texts) are read
   * whole here and handed over, and the loop goes on to the next PDU: jsmpp's session hex-dumps every PDU it reads at
   * DEBUG, so those must never reach it (docs/reliability.md X1).
   */
  @Override
  public Command readPDUHeader(DataInputStream in) throws InvalidCommandLengthException, IOException {
    while (true) {
      Command header = new Command();
      int length = in.readInt();
      header.setCommandLength(length);
      if (length < 16 || length > max) {
        onMalformed.run();
        throw new InvalidCommandLengthException("command_length " + length + " outside 16.." + max);
      }
      header.setCommandId(in.readInt());
      header.setCommandStatus(in.readInt());
      header.setSequenceNumber(in.readInt());
      BindWatcher watcher = bindWatcher;
      int id = header.getCommandId();
      if (watcher != null && header.getCommandStatus() != 0
          && (id == BIND_RECEIVER_RESP || id == BIND_TRANSMITTER_RESP || id == BIND_TRANSCEIVER_RESP)) {
        readPDU(in, header);
        watcher.refused(header.getCommandStatus(), header.getSequenceNumber());
        continue;
      }
      Inbound sink = inbound;
      if (sink == null || !sink.takes(header.getCommandId())) {
        return header;
      }
      byte[] pdu = readPDU(in, header);
      sink.accept(header.getCommandId(), header.getSequenceNumber(), pdu);
    }
  }

  @Override
  public byte[] readPDU(DataInputStream in, Command header) throws IOException {
    return readPDU(in, header.getCommandLength(), header.getCommandId(), header.getCommandStatus(),
        header.getSequenceNumber());
  }

  @Override
  public byte[] readPDU(DataInputStream in, int commandLength, int commandId, int commandStatus, int sequenceNumber)
      throws IOException {
    if (commandLength < 16 || commandLength > max) {
      onMalformed.run();
      throw new IOException("command_length " + commandLength + " outside 16.." + max);
    }
    byte[] pdu = delegate.readPDU(in, commandLength, commandId, commandStatus, sequenceNumber);
    if (commandId == DELIVER_SM && !wellFormedDeliverSm(pdu)) {
      // jsmpp 3.0.2 drops a deliver_sm whose TLVs do not add up without answering it; refuse it loudly instead:
      // jsmpp closes the connection, the supervisor binds again, the SMSC delivers the message again
      onMalformed.run();
      throw new IOException("deliver_sm fields or TLVs do not add up to command_length " + commandLength);
    }
    return pdu;
  }

  /** Walks the mandatory fields (SMPP 3.4 section 4.6.1) and the TLVs; true if they fill the PDU exactly. */
  static boolean wellFormedDeliverSm(byte[] pdu) {
    int[] pos = {16};
    int n = pdu.length;
    if (!cstring(pdu, pos, 6) || !skip(pos, 2, n) || !cstring(pdu, pos, 21) || !skip(pos, 2, n)
        || !cstring(pdu, pos, 21) || !skip(pos, 3, n) || !cstring(pdu, pos, 17) || !cstring(pdu, pos, 17)
        || !skip(pos, 4, n) || pos[0] >= n) {
      return false;
    }
    int smLength = pdu[pos[0]++] & 0xFF;
    if (!skip(pos, smLength, n)) {
      return false;
    }
    while (pos[0] < n) {
      if (pos[0] + 4 > n) {
        return false;
      }
      int len = ((pdu[pos[0] + 2] & 0xFF) << 8) | (pdu[pos[0] + 3] & 0xFF);
      pos[0] += 4;
      if (!skip(pos, len, n)) {
        return false;
      }
    }
    return pos[0] == n;
  }

  private static boolean cstring(byte[] pdu, int[] pos, int maxWithNul) {
    int end = Math.min(pdu.length, pos[0] + maxWithNul);
    for (int i = pos[0]; i < end; i++) {
      if (pdu[i] == 0) {
        pos[0] = i + 1;
        return true;
      }
    }
    return false;
  }

  private static boolean skip(int[] pos, int count, int n) {
    if (pos[0] + count > n) {
      return false;
    }
    pos[0] += count;
    return true;
  }
}
