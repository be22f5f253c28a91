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
 * {@code generic_nack} (ESME_RINVCMDLEN) and closes the session; our supervisor then reconnects.
 *
 * <p>Thread-safe (stateless; each session reads on one thread).
 */
final class CappedPduReader implements PDUReader {

  /** The default cap: a submit_sm with a 64 KiB message_payload still fits. */
  static final int DEFAULT_MAX = 70_000;

  private final int max;
  private final DefaultPDUReader delegate = new DefaultPDUReader();

  CappedPduReader(int max) {
    this.max = max;
  }

  @Override
  public Command readPDUHeader(DataInputStream in) throws InvalidCommandLengthException, IOException {
    Command header = new Command();
    int length = in.readInt();
    header.setCommandLength(length);
    if (length < 16 || length > max) {
      throw new InvalidCommandLengthException("command_length " + length + " outside 16.." + max);
    }
    header.setCommandId(in.readInt());
    header.setCommandStatus(in.readInt());
    header.setSequenceNumber(in.readInt());
    return header;
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
      throw new IOException("command_length " + commandLength + " outside 16.." + max);
    }
    return delegate.readPDU(in, commandLength, commandId, commandStatus, sequenceNumber);
  }
}
