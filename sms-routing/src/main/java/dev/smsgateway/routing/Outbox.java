package dev.smsgateway.routing;

import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsConfigurationException;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender the service sends through (bound after the gateway exists), and the messages the service sends on its
 * own: system messages (recorded in the transcript, sent unless the mapping suppresses them) and keyword replies,
 * whose failures are logged, never thrown. Thread-safe.
 */
final class Outbox {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
  static final String SYSTEM = "system";

  private final ConversationStore conversations;
  private final Clock clock;
  private volatile MessageSender sender;

  Outbox(ConversationStore conversations, Clock clock, MessageSender sender) {
    this.conversations = conversations;
    this.clock = clock;
    this.sender = sender;
  }

  void bind(MessageSender sender) {
    this.sender = Objects.requireNonNull(sender, "sender == null");
  }

  /** @throws SmsConfigurationException when no sender is bound yet */
  MessageSender requireSender() {
    MessageSender s = sender;
    if (s == null) {
      throw new SmsConfigurationException("ConversationService has no sender: call bind(gateway) first");
    }
    return s;
  }

  /** Records a system message in the transcript and sends it unless the mapping suppresses system messages. */
  void systemMessage(Conversation c, Mapping mapping, String text) {
    conversations.append(new TranscriptEntry(c.id(), clock.instant(), TranscriptEntry.Direction.SYSTEM, SYSTEM, text,
        null));
    if (mapping.chatControl().suppressSystemMessages() || sender == null) {
      return;
    }
    sendQuietly(OutboundSms.builder().to(c.customer()).from(c.business()).body(text).provider(mapping.provider())
        .attribute("conversationId", c.id()).build(), "system message");
  }

  /** Sends {@code sms}; a failure (now or later) is logged with {@code what}, never thrown. */
  void sendQuietly(OutboundSms sms, String what) {
    MessageSender s = sender;
    if (s == null) {
      log.warn("{} to {} not sent: no sender bound (call bind(gateway))", what, PhoneNumbers.mask(sms.to()));
      return;
    }
    try {
      s.send(sms).whenComplete((receipt, error) -> {
        if (error != null) {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          log.warn("{} to {} not sent: {}", what, PhoneNumbers.mask(sms.to()), cause.toString());
        }
      });
    } catch (RuntimeException e) {
      log.warn("{} to {} not sent: {}", what, PhoneNumbers.mask(sms.to()), e.toString());
    }
  }
}
