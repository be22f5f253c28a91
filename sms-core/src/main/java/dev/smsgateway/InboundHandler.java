package dev.smsgateway;

/**
 * Takes each de-duplicated inbound message, typically the routing engine. There is one per gateway.
 *
 * <p>Threads: called on the provider's I/O or webhook thread. Exceptions: if it throws, the gateway forgets the
 * de-duplication mark and the provider tells its peer the message was not taken, so the peer delivers it again;
 * nothing is acknowledged that was not handled.
 *
 * <p>Implementations must be thread-safe: providers call it from several threads at once.
 */
@FunctionalInterface
public interface InboundHandler {

  /** Handles one inbound message. */
  void handle(InboundSms sms);
}
