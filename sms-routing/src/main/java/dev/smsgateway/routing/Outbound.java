package dev.smsgateway.routing;

import dev.smsgateway.OutboundSms;
import dev.smsgateway.PhoneNumber;
import dev.smsgateway.PhoneNumbers;
import dev.smsgateway.SmsException;
import dev.smsgateway.SmsOptedOutException;
import dev.smsgateway.SmsValidationException;
import dev.smsgateway.route.RouteTarget;
import dev.smsgateway.store.Conversation;
import dev.smsgateway.store.ConversationStore;
import dev.smsgateway.store.OptOutStore;
import dev.smsgateway.store.OriginatorRecord;
import dev.smsgateway.store.OriginatorStore;
import dev.smsgateway.store.TranscriptEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound origination: an agent texts a customer. The message id is chosen first, so that the originator record,
 * claimed before the send (and withdrawn when the send certainly failed), carries it and is written once; the message
 * goes through the gateway (with that id) or Amazon Connect, and the conversation opens with the message as its first
 * line (or is taken over) for the agent. Thread-safe.
 */
final class Outbound {

  private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

  private final Supplier<RoutingConfiguration> configuration;
  private final RoutingEngine engine;
  private final OriginatorStore originators;
  private final OptOutStore optOuts;
  private final ConversationStore conversations;
  private final ConversationWrites writes;
  private final Originations originations;
  private final Agents agents;
  private final Outbox outbox;
  private final EventFanout events;
  private final ContactFlowChats flowChats;
  private final MessageLinks links;
  private final Clock clock;

  Outbound(Supplier<RoutingConfiguration> configuration, RoutingEngine engine, OriginatorStore originators,
      OptOutStore optOuts, ConversationStore conversations, ConversationWrites writes, Agents agents, Outbox outbox,
      EventFanout events, ContactFlowChats flowChats, MessageLinks links, Clock clock) {
    this.configuration = configuration;
    this.engine = engine;
    this.originators = originators;
    this.optOuts = optOuts;
    this.conversations = conversations;
    this.writes = writes;
    this.originations = new Originations(originators, clock);
    this.agents = agents;
    this.outbox = outbox;
    this.events = events;
    this.flowChats = flowChats;
    this.links = links;
    this.clock = clock;
  }

  CompletableFuture<OutboundConversation> start(String agentId, String businessNumber, String customerNumber,
      String text, String idempotencyKey) {
    Objects.requireNonNull(agentId, "agentId == null");
    Objects.requireNonNull(businessNumber, "businessNumber == null");
    Objects.requireNonNull(customerNumber, "customerNumber == null");
    Objects.requireNonNull(text, "text == null");
    try {
      String agent = Checks.required("agentId", agentId);
      if (text.isBlank()) {
        throw new SmsValidationException("text", "is blank");
      }
      RoutingConfiguration config = configuration.get();
      BusinessNumber number = config.findNumber(businessNumber).orElseThrow(() -> new SmsValidationException(
          "businessNumber", "is not a business number of any mapping: " + PhoneNumbers.mask(businessNumber.strip())));
      Mapping mapping = config.mappingFor(number.number()).orElseThrow();
      PhoneNumber customer = PhoneNumbers.normalize(customerNumber, mapping.defaultCountry(), "customerNumber");
      // The store steps before the send (the opt-out look-up, the originator claim) block no thread: with a store that
      // answers later (JDBC: in its next group commit) the start goes on where the answer arrives, so the steps of
      // concurrent starts share a group; with one that answers at once (in memory), right here, one after the other.
      CompletableFuture<Boolean> optOut = optOutRead(customer);
      if (!optOut.isDone()) {
        // Not answered yet: the claim is written meanwhile (one store round trip fewer before the send) and withdrawn,
        // as a failed send's is, when the customer turns out to have opted out. A store that throws rather than failing
        // its future fails the future too, as in next(...).
        try {
          return claimAndSend(agent, mapping, number, customer, text, idempotencyKey, optOut);
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
      }
      return next(optOut, optedOut -> {
        if (optedOut) {
          throw new SmsOptedOutException(customer);
        }
        return claimAndSend(agent, mapping, number, customer, text, idempotencyKey, null);
      });
    } catch (SmsException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The store's opt-out look-up; a store that throws rather than failing its future (its own isOptedOutAsync written
   * without a try) fails the future as well: startOutbound throws for nothing but null arguments.
   */
  private CompletableFuture<Boolean> optOutRead(PhoneNumber customer) {
    try {
      return optOuts.isOptedOutAsync(customer);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The originator claim and then the send, once the customer is known not to have opted out: before the claim when
   * {@code optOut} is null, otherwise by {@code optOut}, which the claim waits for (an opt-out, or a failed look-up,
   * withdraws it and fails the start).
   */
  private CompletableFuture<OutboundConversation> claimAndSend(String agent, Mapping mapping, BusinessNumber number,
      PhoneNumber customer, String text, String idempotencyKey, CompletableFuture<Boolean> optOut) {
    Instant now = clock.instant();
    if (number.connectPhoneNumberArn().isPresent()) {
      flowChats.require(mapping);
    }
    boolean viaConnect = number.connectPhoneNumberArn().isPresent();
    // Our id of the message, chosen here so that the record claimed before the send carries it: one originator
    // write per conversation (Amazon Connect's contact id is known only later, so that record has none).
    String messageId = viaConnect ? null : UUID.randomUUID().toString();
    OriginatorRecord record = OriginatorRecord.of(customer, number.number(), agent, text, messageId, now,
        mapping.originatorTtl());
    MessageSender s = viaConnect ? null : outbox.requireSender();
    // Written before the send: a reply that overtakes the send's response still finds its agent.
    CompletableFuture<Originations.Claim> claimed = originations.claim(record);
    if (optOut != null) {
      claimed = claimed.thenCompose(claim -> optOut.handle((optedOut, error) -> {
        Throwable refusal = error != null ? error : optedOut ? new SmsOptedOutException(customer) : null;
        if (refusal == null) {
          return claim;
        }
        try {
          originations.withdraw(claim, refusal);
        } catch (RuntimeException e) { // the refusal is what the caller must hear; the record stays, as it may
          log.warn("agent {}'s originator record for {} could not be withdrawn: {}", agent, customer, e.toString());
        }
        throw refusal instanceof CompletionException c ? c : new CompletionException(refusal);
      }));
    }
    return next(claimed, claim -> {
      log.info("agent {} starts a conversation with {} from {} (mapping {})", agent, customer, number.number(),
          mapping.code());
      if (viaConnect) {
        return startThroughConnect(agent, mapping, number, customer, text, idempotencyKey, claim);
      }
      return send(s, agent, mapping, number, customer, text, idempotencyKey, claim, now);
    });
  }

  private CompletableFuture<OutboundConversation> send(MessageSender s, String agent, Mapping mapping,
      BusinessNumber number, PhoneNumber customer, String text, String idempotencyKey, Originations.Claim claim,
      Instant now) {
    OriginatorRecord record = claim.record();
    String messageId = record.messageId();
    OutboundSms sms = OutboundSms.builder()
        .to(customer)
        .from(number.number())
        .body(text)
        .messageId(messageId)
        .idempotencyKey(idempotencyKey)
        .provider(mapping.provider())
        .attribute("agentId", agent)
        .optOutChecked(optOuts) // checked above: a gateway on the same store does not look again on accept
        .build();
    // After the send: a new conversation opens with the message as its first transcript line, in one store call
    // (ConversationStore#openIfAbsent(Conversation, TranscriptEntry)); into a conversation open already the line is
    // written without waiting. The future completes once the line is stored; only then is the message linked (its
    // delivery reports follow the stored line). The originator record carries the id already, unless a repeated
    // idempotency key answered with the first send's receipt: then it is rewritten with the id that went out.
    return s.send(sms).whenComplete((r, e) -> failed(claim, e)).thenCompose(receipt -> {
      String sent = receipt.messageId();
      CompletableFuture<Void> recorded = sent.equals(messageId) ? CompletableFuture.completedFuture(null)
          : originators.putAsync(new OriginatorRecord(customer, number.number(), agent, text, sent,
              record.createdAt(), record.expiresAt()));
      return openForAgent(agent, mapping, number, customer, clock.instant(), now, text, sent).thenCompose(opening -> {
        Conversation c = opening.conversation();
        CompletableFuture<Boolean> line = opening.withLine() ? CompletableFuture.completedFuture(true)
            : writes.appendOnceAsync(new TranscriptEntry(c.id(), now, TranscriptEntry.Direction.OUTBOUND, agent,
                text, sent));
        return CompletableFuture.allOf(recorded, line).thenApply(x -> {
          links.link(sent, c.id());
          return new OutboundConversation(c.id(), sent, null);
        });
      });
    });
  }

  /**
   * {@code then} applied to {@code step}'s value: on this thread when the step is done already (so a refusal fails the
   * future with that very exception, as a check made before any store step does), otherwise where the step completes.
   * A step's failure, or {@code then}'s, fails the future: nothing is thrown.
   */
  private static <T> CompletableFuture<OutboundConversation> next(CompletableFuture<T> step,
      Function<T, CompletableFuture<OutboundConversation>> then) {
    if (step.isDone() && !step.isCompletedExceptionally()) {
      try {
        return then.apply(step.join());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return step.thenCompose(then);
  }

  private CompletableFuture<OutboundConversation> startThroughConnect(String agent, Mapping mapping,
      BusinessNumber number, PhoneNumber customer, String text, String idempotencyKey, Originations.Claim claim) {
    OriginatorRecord record = claim.record();
    // agent-originated contact-flow chats (sms-connect): begin
    CompletableFuture<OutboundConversation> again = flowChats.outbound().intoOpenChat(agent, customer,
        number.number(), text, idempotencyKey);
    if (again != null) {
      return again.whenComplete((r, e) -> failed(claim, e));
    }
    // agent-originated contact-flow chats: end
    return flowChats.startOutbound(agent, mapping, number, customer, text, idempotencyKey)
        .whenComplete((r, e) -> failed(claim, e))
        .thenCompose(started -> flowChats.outbound().join(started, agent)) // joins the chat (sms-connect)
        .thenApply(joined -> {
      String contactId = joined.contactId();
      Instant at = clock.instant();
      Conversation c;
      ReentrantLock lock = engine.lockFor(customer, number.number());
      lock.lock();
      try {
        c = conversations.openIfAbsent(Conversation.open(RoutingEngine.randomId(), customer, number.number(),
            mapping.code(), number.target(), at));
        flowChats.outbound().link(c.id(), joined);
      } finally {
        lock.unlock();
      }
      writes.appendOnce(new TranscriptEntry(c.id(), record.createdAt(), TranscriptEntry.Direction.OUTBOUND, agent,
          text, contactId));
      return new OutboundConversation(c.id(), null, contactId);
    });
  }

  /** The conversation the agent's message belongs to, and whether its opening wrote the message's line too. */
  private record Opening(Conversation conversation, boolean withLine) {}

  /**
   * Opens the agent's conversation with the customer, with the message ({@code lineAt}, {@code text},
   * {@code messageId}) as its first line, or takes over the one open already (then without the line: the caller
   * appends it, after the takeover's system line). The write is made without holding a thread: the opening registers
   * with the engine's {@link PendingOpens} under the pair's lock, so that a reply routed meanwhile waits until the
   * conversation, its first line and its assignment are there (or was routed before the opening began, and opened it
   * itself); the assignment is made under the lock once the write is durable. With a store that answers at once
   * (in memory) all of it happens under one hold of the lock, as a plain call.
   */
  private CompletableFuture<Opening> openForAgent(String agent, Mapping mapping, BusinessNumber number,
      PhoneNumber customer, Instant now, Instant lineAt, String text, String messageId) {
    PendingOpens opens = engine.opens();
    ReentrantLock lock = engine.lockFor(customer, number.number());
    CompletableFuture<Void> token;
    CompletableFuture<Void> before;
    lock.lock();
    try {
      before = opens.latest(customer, number.number());
      if (before == null) {
        Conversation candidate = candidate(agent, mapping, number, customer, now);
        CompletableFuture<Conversation> opened = write(candidate, agent, lineAt, text, messageId);
        if (opened.isDone() && !opened.isCompletedExceptionally()) {
          return CompletableFuture.completedFuture(assign(agent, candidate, opened.join(), now));
        }
        token = opens.register(customer, number.number());
        return finish(opened, agent, candidate, now, lock, customer, number, token);
      }
      // another opening of this pair is in flight: this one starts when it is complete
      token = opens.register(customer, number.number());
    } finally {
      lock.unlock();
    }
    CompletableFuture<Void> registered = token;
    return before.thenCompose(x -> {
      Conversation candidate = candidate(agent, mapping, number, customer, now);
      return finish(write(candidate, agent, lineAt, text, messageId), agent, candidate, now, lock, customer, number,
          registered);
    });
  }

  private static Conversation candidate(String agent, Mapping mapping, BusinessNumber number, PhoneNumber customer,
      Instant now) {
    return Conversation.open(RoutingEngine.randomId(), customer, number.number(), mapping.code(),
        new RouteTarget.Agent(agent), now);
  }

  /**
   * The opening's write: {@code candidate} with the message as its first line. A store that throws rather than failing
   * its future fails the future too, so that an opening registered in {@link PendingOpens} always finishes.
   */
  private CompletableFuture<Conversation> write(Conversation candidate, String agent, Instant lineAt, String text,
      String messageId) {
    try {
      return conversations.openIfAbsentAsync(candidate, new TranscriptEntry(candidate.id(), lineAt,
          TranscriptEntry.Direction.OUTBOUND, agent, text, messageId));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Once {@code opened} is durable: the assignment under the pair's lock, then the pair's waiting decisions go on. */
  private CompletableFuture<Opening> finish(CompletableFuture<Conversation> opened, String agent,
      Conversation candidate, Instant now, ReentrantLock lock, PhoneNumber customer, BusinessNumber number,
      CompletableFuture<Void> token) {
    CompletableFuture<Opening> assigned = opened.thenApply(c -> {
      lock.lock();
      try {
        return assign(agent, candidate, c, now);
      } finally {
        lock.unlock();
      }
    });
    assigned.whenComplete((o, e) -> engine.opens().finished(customer, number.number(), token));
    return assigned;
  }

  /**
   * The agent's side of an opening, under the pair's lock: {@code c} is the conversation open now ({@code candidate}
   * when the opening stored it). The agent holds it, or takes it over from another agent or a queue.
   */
  private Opening assign(String agent, Conversation candidate, Conversation c, Instant now) {
    agents.withdrawOffer(c.id());
    if (c.id().equals(candidate.id())) {
      agents.hold(agent, c.id());
      agents.touch(agent);
      events.assigned(candidate, agent, null);
      return new Opening(c, true);
    }
    if (c.target() instanceof RouteTarget.Agent a && a.agentId().equals(agent)) {
      agents.hold(agent, c.id());
      Conversation touched = writes.update(c, x -> now.isAfter(x.lastActivityAt()) ? x.touched(now) : null);
      return new Opening(touched != null ? touched : c, false);
    }
    // Another agent (or a queue) had it: the agent who just wrote takes it over.
    String previous = c.target() instanceof RouteTarget.Agent a ? a.agentId() : null;
    Conversation taken = writes.update(c, x -> x.isOpen() ? x.assignedTo(agent, now) : null);
    if (taken == null) {
      return new Opening(c, false);
    }
    conversations.append(new TranscriptEntry(c.id(), now, TranscriptEntry.Direction.SYSTEM, Outbox.SYSTEM,
        "Agent " + agent + " took over the conversation", null));
    agents.hold(agent, c.id());
    if (previous != null) {
      agents.release(previous, c.id());
    }
    agents.touch(agent);
    events.assigned(taken, agent, null);
    if (previous != null) {
      agents.assignWaitingFor(previous);
    }
    return new Opening(taken, false);
  }

  private void failed(Originations.Claim claim, Throwable error) {
    if (error != null) {
      originations.failed(claim, error);
    }
  }
}
