package dev.smsgateway.examples;

import dev.smsgateway.SmsGateway;
import dev.smsgateway.SmsProvider;
import dev.smsgateway.routing.ConversationService;
import dev.smsgateway.routing.Presence;
import dev.smsgateway.routing.RoutingConfiguration;
import dev.smsgateway.store.InMemoryConversationStore;
import dev.smsgateway.store.InMemoryMessageStore;
import dev.smsgateway.store.InMemoryOptOutStore;
import dev.smsgateway.store.InMemoryOriginatorStore;
import java.time.Clock;
import java.util.Set;

/**
 * What the examples wire the same way: a gateway and a conversation service on in-memory stores, the transcript
 * listening to both, and agent alice available.
 *
 * <p>Not thread-safe to build; the parts it returns are.
 */
record InMemoryWiring(SmsGateway gateway, ConversationService conversations, InMemoryMessageStore messages,
    InMemoryOptOutStore optOuts) {

  /** One provider; alice serves the "support" queue, two conversations at a time. */
  static InMemoryWiring of(SmsProvider provider, RoutingConfiguration configuration, Clock clock,
      Transcript transcript) {
    return of(SmsGateway.builder().provider(provider), configuration, clock, transcript, 2, Set.of("support"));
  }

  /** The providers already added to {@code providers}; alice serves {@code queues}, {@code capacity} at a time. */
  static InMemoryWiring of(SmsGateway.Builder providers, RoutingConfiguration configuration, Clock clock,
      Transcript transcript, int capacity, Set<String> queues) {
    InMemoryOptOutStore optOuts = new InMemoryOptOutStore();
    InMemoryMessageStore messages = new InMemoryMessageStore(clock);
    ConversationService conversations = ConversationService.builder()
        .configuration(configuration)
        .originatorStore(new InMemoryOriginatorStore(clock))
        .optOutStore(optOuts)
        .conversationStore(new InMemoryConversationStore(clock))
        .clock(clock)
        .listener(transcript)
        .build();
    SmsGateway gateway = providers
        .defaultRegion("US")
        .clock(clock)
        .optOutStore(optOuts)
        .messageStore(messages)
        .inboundHandler(conversations)
        .listener(conversations.gatewayListener())
        .listener(transcript)
        .build();
    conversations.bind(gateway); // checks that every mapping names one of the gateway's providers
    conversations.registerAgent("alice", capacity, queues);
    conversations.setPresence("alice", Presence.AVAILABLE);
    return new InMemoryWiring(gateway, conversations, messages, optOuts);
  }
}
