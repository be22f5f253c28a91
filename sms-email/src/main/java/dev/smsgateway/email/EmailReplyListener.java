package dev.smsgateway.email;

import dev.smsgateway.InboundSms;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.routing.BusinessNumber;
import dev.smsgateway.routing.ConversationListener;
import dev.smsgateway.store.Conversation;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emails a customer's messages to the agent who has the conversation. See {@link EmailOrigination#replyListener}.
 *
 * <p>Thread-safe.
 */
final class EmailReplyListener implements ConversationListener {

  private static final Logger log = LoggerFactory.getLogger(EmailReplyListener.class);
  private static final long[] PAUSES_MS = {1_000, 5_000};

  private final EmailOrigination origination;
  private final Executor executor;

  EmailReplyListener(EmailOrigination origination, Executor executor) {
    this.origination = origination;
    this.executor = executor;
  }

  @Override
  public void onMessage(Conversation conversation, InboundSms sms) {
    if (!(conversation.target() instanceof RouteTarget.Agent agent)) {
      return; // waiting in a queue or a contact flow: nobody to email yet
    }
    Optional<String> to = origination.agents().addressOf(agent.agentId());
    Optional<String> from = origination.mailboxFor(conversation.business().address());
    if (to.isEmpty() || from.isEmpty()) {
      log.debug("conversation {}: no email {} for the reply", conversation.id(), to.isEmpty()
          ? "address for agent " + agent.agentId() : "mailbox for its business number");
      return;
    }
    String name = origination.configuration().number(conversation.business()).map(BusinessNumber::displayName)
        .orElse(null);
    EmailThreads threads = origination.threads();
    EmailThreads.Key key = new EmailThreads.Key(conversation.customer().e164(), conversation.business().address());
    MimeMessage message;
    try {
      message = origination.composer().customerReply(conversation.id(), conversation.customer().e164(), name,
          from.get(), name, to.get(), sms.body(), threads.thread(key));
      String id = message.getMessageID();
      threads.remember(key, id == null ? null : id.replaceAll("^<|>$", ""));
    } catch (MessagingException e) {
      log.error("conversation {}: the reply email could not be written: {}", conversation.id(), e.toString());
      return;
    }
    executor.execute(() -> attempt(conversation.id(), key, agent.agentId(), message, 0));
  }

  private void attempt(String conversationId, EmailThreads.Key key, String agentId, MimeMessage message,
      int attempt) {
    try {
      String sentAs = origination.replySender().send(message);
      origination.threads().remember(key, sentAs);
      log.info("conversation {}: customer reply emailed to agent {}", conversationId, agentId);
    } catch (EmailSendException e) {
      if (e.retryable() && attempt < PAUSES_MS.length) {
        log.warn("conversation {}: reply email to agent {} failed ({}); trying again", conversationId, agentId,
            e.getMessage());
        CompletableFuture.delayedExecutor(PAUSES_MS[attempt], TimeUnit.MILLISECONDS, executor)
            .execute(() -> attempt(conversationId, key, agentId, message, attempt + 1));
      } else {
        log.error("conversation {}: reply email to agent {} failed for good after {} attempt(s): {}", conversationId,
            agentId, attempt + 1, e.getMessage());
      }
    } catch (RuntimeException e) {
      log.error("conversation {}: reply email to agent {} failed", conversationId, agentId, e);
    }
  }

  @Override
  public String toString() {
    return "EmailReplyListener{" + origination.replySender() + "}";
  }
}
