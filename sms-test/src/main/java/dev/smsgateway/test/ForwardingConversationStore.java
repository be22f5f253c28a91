package dev.smsgateway.test;

import dev.smsgateway.Originator;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.ChatLink;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ConversationStore} that forwards every call to another one: the base of a test's decorator that changes a
 * few calls (counts them, answers some later, fails one) and leaves the rest to a real store.
 *
 * <p>It forwards each abstract method and the single writes and reads with a default ({@link #openIfAbsent(
 * Conversation, TranscriptEntry)}, {@link #updateAndAppend}, {@link #appendIfAbsent}, the chat links,
 * {@link #findConversationOfMessage}), so the delegate's own versions run. The asynchronous defaults
 * ({@code openIfAbsentAsync}, {@code appendIfAbsentAsync}) and {@link #joinOpen}, which the interface builds from the
 * other calls, are left as the interface has them: they call this store's methods on the calling thread, so a
 * decorator that overrides those sees the calls too; override them to answer another way.
 *
 * <p>Thread-safe as its delegate is.
 */
public class ForwardingConversationStore implements ConversationStore {

  /** The store every call goes to. */
  protected final ConversationStore delegate;

  /** Forwards to {@code delegate}. */
  public ForwardingConversationStore(ConversationStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate == null");
  }

  @Override
  public Conversation openIfAbsent(Conversation candidate) {
    return delegate.openIfAbsent(candidate);
  }

  @Override
  public Conversation openIfAbsent(Conversation candidate, TranscriptEntry firstLine) {
    return delegate.openIfAbsent(candidate, firstLine);
  }

  @Override
  public boolean update(Conversation updated) {
    return delegate.update(updated);
  }

  @Override
  public boolean updateAndAppend(Conversation updated, TranscriptEntry line) {
    return delegate.updateAndAppend(updated, line);
  }

  @Override
  public Optional<Conversation> find(String id) {
    return delegate.find(id);
  }

  @Override
  public Optional<Conversation> findOpen(PhoneNumber customer, Originator business) {
    return delegate.findOpen(customer, business);
  }

  @Override
  public List<Conversation> findOpenByTarget(RouteTarget target) {
    return delegate.findOpenByTarget(target);
  }

  @Override
  public List<Conversation> findIdle(Instant cutoff, int limit) {
    return delegate.findIdle(cutoff, limit);
  }

  @Override
  public void append(TranscriptEntry entry) {
    delegate.append(entry);
  }

  @Override
  public List<TranscriptEntry> transcript(String conversationId) {
    return delegate.transcript(conversationId);
  }

  @Override
  public boolean appendIfAbsent(TranscriptEntry entry) {
    return delegate.appendIfAbsent(entry);
  }

  @Override
  public boolean putChatLink(ChatLink link) {
    return delegate.putChatLink(link);
  }

  @Override
  public Optional<ChatLink> findChatLink(String conversationId) {
    return delegate.findChatLink(conversationId);
  }

  @Override
  public Optional<ChatLink> findChatLinkByContact(String contactId) {
    return delegate.findChatLinkByContact(contactId);
  }

  @Override
  public Optional<String> findConversationOfMessage(String messageId) {
    return delegate.findConversationOfMessage(messageId);
  }
}
