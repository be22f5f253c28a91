package dev.smsgateway.spring;

import dev.smsgateway.InboundSms;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.store.Conversation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link ConversationListener} bean that keeps what the ConversationService reported, for the tests to await. */
final class ConversationRecorder implements ConversationListener {

  record Message(String conversationId, String handler, String from, String to, String text) {}

  final List<Message> messages = new CopyOnWriteArrayList<>();
  final List<String> assigned = new CopyOnWriteArrayList<>();
  final List<String> unrouted = new CopyOnWriteArrayList<>();

  @Override
  public void onAssigned(Conversation conversation, String agentId, String whisper) {
    assigned.add(agentId);
  }

  @Override
  public void onMessage(Conversation conversation, InboundSms sms) {
    messages.add(new Message(conversation.id(), conversation.target().key(), sms.from().e164(),
        sms.to().address(), sms.body()));
  }

  @Override
  public void onUnrouted(InboundSms sms, String reason) {
    unrouted.add(reason);
  }

  Message awaitMessage(Predicate<Message> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Message m : messages) {
        if (match.test(m)) {
          return m;
        }
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new AssertionError("no matching message within " + timeout + "; got " + messages + ", unrouted "
        + unrouted);
  }
}
